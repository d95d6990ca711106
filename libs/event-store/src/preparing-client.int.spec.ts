import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { DataSource } from 'typeorm';
import { eventStoreDataSourceOptions } from './data-source-options';
import { PREPARED_STATEMENTS_PER_CONNECTION, PreparingClient } from './preparing-client';

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
});
