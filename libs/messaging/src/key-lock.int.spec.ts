import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { keyLock, keyLockExpression } from './key-lock';

const tryLock = `SELECT pg_try_advisory_xact_lock(${keyLockExpression('$1')}) AS locked`;

describe('the per-key lock (against the real PostgreSQL)', () => {
  let mine: TestDatabase;
  let theirs: TestDatabase;
  const open: PoolClient[] = [];

  beforeAll(async () => {
    [mine, theirs] = await Promise.all([testDatabase('key_lock_a'), testDatabase('key_lock_b')]);
  });
  afterEach(async () => {
    for (const client of open.splice(0)) {
      await client.query('ROLLBACK');
      client.release();
    }
  });
  afterAll(async () => {
    await Promise.all([mine.drop(), theirs.drop()]);
  });

  const inTransaction = async (db: TestDatabase): Promise<PoolClient> => {
    const client = await db.pool.connect();
    open.push(client);
    await client.query('BEGIN');
    return client;
  };
  const tryKey = async (db: TestDatabase, key: string): Promise<boolean> => {
    const client = await inTransaction(db);
    const { rows } = await client.query<{ locked: boolean }>(tryLock, [key]);
    return rows[0].locked;
  };

  it("holds off a second writer of the key in the same schema, and only of that key", async () => {
    const key = randomUUID();
    await (await inTransaction(mine)).query(keyLock.sql, [key]);
    expect(await tryKey(mine, key)).toBe(false);
    expect(await tryKey(mine, randomUUID())).toBe(true);
  });

  it("does not hold off another schema's writer of the same key (services sharing a database)", async () => {
    const key = randomUUID();
    await (await inTransaction(mine)).query(keyLock.sql, [key]);
    expect(await tryKey(theirs, key)).toBe(true);
  });
});
