import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { eventStoreDataSourceOptions } from './data-source-options';
import { CommitRolledBack, PREPARED_STATEMENTS_PER_CONNECTION, PreparingClient } from './preparing-client';

describe('PreparingClient (against the real PostgreSQL)', () => {
  let db: TestDatabase;
  let client: PreparingClient;

  beforeAll(async () => {
    db = await testDatabase('preparing_client');
    await db.pool.query('CREATE TABLE things (id int PRIMARY KEY, label text NOT NULL)');
    await db.pool.query(`INSERT INTO things VALUES (1, 'one'), (2, 'two')`);
  });
  beforeEach(async () => {
    client = new PreparingClient({ connectionString: db.url, options: `-c search_path="${db.schema}"` });
    await client.connect();
  });
  afterEach(() => client.end());
  afterAll(() => db.drop());

  const preparedHere = async (): Promise<string[]> =>
    (await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((r) => r.statement);

  it('prepares a statement with parameters once and runs it again from the connection, with the right answers', async () => {
    const text = 'SELECT label FROM things WHERE id = $1';
    expect((await client.query(text, [1])).rows).toEqual([{ label: 'one' }]);
    expect((await client.query(text, [2])).rows).toEqual([{ label: 'two' }]);
    expect(await preparedHere()).toEqual([text]);
    expect(client.preparedCount).toBe(1);
  });

  it('plans a prepared statement once for every parameter, keeping the options it was given', async () => {
    expect((await client.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0].plan_cache_mode).toBe('force_generic_plan');
    expect((await client.query<{ search_path: string }>('SHOW search_path')).rows[0].search_path).toBe(`"${db.schema}"`);
    const text = 'SELECT label FROM things WHERE id = ANY($1::int[])';
    for (let i = 0; i < 7; i++) await client.query(text, [[1, 2]]);
    const { rows } = await client.query<{ generic_plans: string; custom_plans: string }>(
      'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1',
      [text],
    );
    expect(rows).toEqual([{ generic_plans: '7', custom_plans: '0' }]);
  });

  it('leaves statements without parameters, and named ones, as they are', async () => {
    await client.query('SELECT 1');
    await client.query('SELECT 2', []);
    await client.query({ name: 'theirs', text: 'SELECT $1::int AS n', values: [3] });
    expect(await preparedHere()).toEqual(['SELECT $1::int AS n']);
    expect(client.preparedCount).toBe(0);
  });

  it('gives an error of a statement to its caller, and prepares it on the next call', async () => {
    await expect(client.query('SELECT label FROM things WHERE id = $1', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    expect((await client.query('SELECT label FROM things WHERE id = $1', [1])).rows).toEqual([{ label: 'one' }]);
  });

  it('answers through the callback form TypeORM uses', async () => {
    const rows = await new Promise((resolve, reject) =>
      client.query('SELECT label FROM things WHERE id = $1', [2], (error: Error | null, result: { rows: unknown[] }) => (error ? reject(error) : resolve(result.rows))),
    );
    expect(rows).toEqual([{ label: 'two' }]);
  });

  it('runs a prepared statement on after a migration changed the table it reads', async () => {
    const text = 'SELECT id, label FROM things WHERE id = $1';
    await client.query(text, [1]);
    await db.pool.query('ALTER TABLE things ADD COLUMN note text');
    expect((await client.query(text, [1])).rows).toEqual([{ id: 1, label: 'one' }]);
    await db.pool.query('ALTER TABLE things DROP COLUMN note');
  });

  it(`prepares at most ${PREPARED_STATEMENTS_PER_CONNECTION} statements on one connection, and runs the rest unnamed`, async () => {
    for (let i = 0; i <= PREPARED_STATEMENTS_PER_CONNECTION; i++) {
      expect((await client.query(`SELECT $1::int + ${i} AS n`, [1])).rows).toEqual([{ n: 1 + i }]);
    }
    expect((await preparedHere()).length).toBe(PREPARED_STATEMENTS_PER_CONNECTION);
    // One already prepared is still run prepared.
    await client.query('SELECT $1::int + 0 AS n', [5]);
    expect(client.preparedCount).toBe(PREPARED_STATEMENTS_PER_CONNECTION);
  });

  it("is what a DataSource with the store's options connects with", async () => {
    const dataSource = new DataSource({ ...eventStoreDataSourceOptions(db.typeorm) });
    await dataSource.initialize();
    try {
      const text = 'SELECT label FROM things WHERE id = $1';
      const rows = await dataSource.transaction(async (manager) => {
        await manager.query(text, [1]);
        return manager.query<{ statement: string }[]>('SELECT statement FROM pg_prepared_statements');
      });
      expect(rows.map((r) => r.statement)).toContain(text);
    } finally {
      await dataSource.destroy();
    }
  });

  describe('a transaction’s start goes with its first statement', () => {
    /** ReadyForQuery messages the server sent this client while `work` ran: one per round trip. */
    const roundTrips = async (work: () => Promise<unknown>): Promise<number> => {
      const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
      let n = 0;
      const count = () => (n += 1);
      connection.on('readyForQuery', count);
      try {
        await work();
      } finally {
        connection.off('readyForQuery', count);
      }
      return n;
    };
    const labelOf = async (id: number): Promise<string | undefined> =>
      (await db.pool.query<{ label: string }>('SELECT label FROM things WHERE id = $1', [id])).rows[0]?.label;
    // The first transaction of a connection prepares the start, in its own round trip.
    beforeEach(async () => {
      await client.query('START TRANSACTION');
      await client.query('COMMIT');
    });

    it('in one round trip with it, inside the transaction (a rollback undoes the statement)', async () => {
      const trips = await roundTrips(async () => {
        await client.query('START TRANSACTION');
        await client.query('INSERT INTO things VALUES ($1, $2)', [10, 'ten']);
        await client.query('ROLLBACK');
      });
      expect(trips).toBe(2);
      expect(await labelOf(10)).toBeUndefined();
      expect(client.startsJoined).toBe(1);

      await client.query('START TRANSACTION');
      await client.query('INSERT INTO things VALUES ($1, $2)', [11, 'eleven']);
      expect(await labelOf(11)).toBeUndefined(); // not committed yet: another session does not see it
      await client.query('COMMIT');
      expect(await labelOf(11)).toBe('eleven');
      await db.pool.query('DELETE FROM things WHERE id = 11');
    });

    it('with joinTransactionStart off, the start goes on its own round trip, as node-postgres sends it', async () => {
      const own = new PreparingClient({ connectionString: db.url, options: `-c search_path="${db.schema}"`, joinTransactionStart: false });
      await own.connect();
      try {
        const connection = (own as unknown as { connection: NodeJS.EventEmitter }).connection;
        let trips = 0;
        connection.on('readyForQuery', () => (trips += 1));
        for (let i = 0; i < 2; i++) {
          await own.query('START TRANSACTION');
          await own.query('INSERT INTO things VALUES ($1, $2)', [14, 'fourteen']);
          await own.query('ROLLBACK');
        }
        expect(trips).toBe(6);
        expect(own.startsJoined).toBe(0);
      } finally {
        await own.end();
      }
      expect(await labelOf(14)).toBeUndefined();
    });

    it('a first statement that fails leaves the transaction open and aborted, to be rolled back as usual', async () => {
      await client.query('START TRANSACTION');
      await expect(client.query('SELECT label FROM things WHERE id = $1', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
      await expect(client.query('SELECT label FROM things WHERE id = $1', [1])).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT label FROM things WHERE id = $1', [1])).rows).toEqual([{ label: 'one' }]);
    });

    it('a transaction that ran nothing sends nothing', async () => {
      expect(
        await roundTrips(async () => {
          await client.query('START TRANSACTION');
          await client.query('COMMIT');
        }),
      ).toBe(0);
    });

    it('a statement without parameters after the start (SET TRANSACTION) follows the start, in the transaction', async () => {
      await client.query('START TRANSACTION');
      await client.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
      expect((await client.query<{ transaction_isolation: string }>('SHOW transaction_isolation')).rows).toEqual([{ transaction_isolation: 'serializable' }]);
      expect((await client.query('SELECT label FROM things WHERE id = $1', [2])).rows).toEqual([{ label: 'two' }]);
      await client.query('COMMIT');
      expect((await client.query<{ transaction_isolation: string }>('SHOW transaction_isolation')).rows).toEqual([{ transaction_isolation: 'read committed' }]);
    });

    it('a start its user never followed with a statement is not carried over to the next user of the connection', async () => {
      const pool = new Pool({ connectionString: db.url, options: `-c search_path="${db.schema}"`, max: 1, Client: PreparingClient });
      try {
        const first = await pool.connect();
        await first.query('START TRANSACTION');
        await first.query('COMMIT');
        await first.query('START TRANSACTION');
        first.release();
        const next = await pool.connect();
        expect(next).toBe(first);
        await next.query('INSERT INTO things VALUES ($1, $2)', [12, 'twelve']);
        expect(await labelOf(12)).toBe('twelve'); // committed on its own: no transaction was opened for it
        next.release();
      } finally {
        await pool.end();
        await db.pool.query('DELETE FROM things WHERE id = 12');
      }
    });

    it('a COMMIT that PostgreSQL turned into a rollback (an error caught, the transaction gone on) fails with CommitRolledBack', async () => {
      await client.query('START TRANSACTION');
      await client.query('INSERT INTO things VALUES ($1, $2)', [15, 'fifteen']);
      await expect(client.query('SELECT label FROM things WHERE id = $1', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
      await expect(client.query('COMMIT')).rejects.toBeInstanceOf(CommitRolledBack);
      expect(await labelOf(15)).toBeUndefined();
      // A COMMIT that commits answers as before, through the callback form too.
      await client.query('START TRANSACTION');
      await client.query('INSERT INTO things VALUES ($1, $2)', [15, 'fifteen']);
      const tag = await new Promise<string>((resolve, reject) => client.query('COMMIT', (error: Error | null, result?: { command: string }) => (error ? reject(error) : resolve(result!.command))));
      expect(tag).toBe('COMMIT');
      expect(await labelOf(15)).toBe('fifteen');
      await db.pool.query('DELETE FROM things WHERE id = 15');
    });

    it('through TypeORM: a transaction that swallowed a database error rejects, and its subscribers hear a rollback, not a commit', async () => {
      const dataSource = new DataSource({ ...eventStoreDataSourceOptions(db.typeorm) });
      const heard: string[] = [];
      await dataSource.initialize();
      dataSource.subscribers.push({ afterTransactionCommit: () => void heard.push('commit'), afterTransactionRollback: () => void heard.push('rollback') });
      try {
        await expect(
          dataSource.transaction(async (manager) => {
            await manager.query('INSERT INTO things VALUES ($1, $2)', [16, 'sixteen']);
            await manager.query('SELECT label FROM things WHERE id = $1', ['not a number']).catch(() => undefined);
          }),
        ).rejects.toMatchObject({ driverError: expect.any(CommitRolledBack) });
        expect(heard).toEqual(['rollback']);
        expect(await labelOf(16)).toBeUndefined();
      } finally {
        await dataSource.destroy();
      }
    });

    it('through TypeORM: a transaction commits or rolls back its statements, at the isolation level asked for', async () => {
      const dataSource = new DataSource({ ...eventStoreDataSourceOptions(db.typeorm) });
      await dataSource.initialize();
      try {
        for (let i = 0; i < 2; i++) {
          await expect(
            dataSource.transaction(async (manager) => {
              await manager.query('INSERT INTO things VALUES ($1, $2)', [13, 'thirteen']);
              throw new Error('rolled back');
            }),
          ).rejects.toThrow('rolled back');
        }
        expect(await labelOf(13)).toBeUndefined();
        await dataSource.transaction(async (manager) => manager.query('INSERT INTO things VALUES ($1, $2)', [13, 'thirteen']));
        expect(await labelOf(13)).toBe('thirteen');
        const level = await dataSource.transaction('SERIALIZABLE', async (manager) => {
          await manager.query('SELECT label FROM things WHERE id = $1', [1]);
          return manager.query<{ transaction_isolation: string }[]>('SHOW transaction_isolation');
        });
        expect(level).toEqual([{ transaction_isolation: 'serializable' }]);
      } finally {
        await dataSource.destroy();
        await db.pool.query('DELETE FROM things WHERE id = 13');
      }
    });
  });
});
