import { testDatabase, type TestDatabase } from './test-database';

describe('the real PostgreSQL server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('harness');
  });
  afterAll(async () => db?.drop());

  test('a table created in the test file’s own schema is written and read back', async () => {
    await db.pool.query('CREATE TABLE greeting (id int PRIMARY KEY, text text NOT NULL)');
    await db.pool.query('INSERT INTO greeting VALUES (1, $1)', ['hello postgres']);

    const { rows } = await db.pool.query('SELECT text FROM greeting WHERE id = 1');
    const { rows: where } = await db.pool.query(
      "SELECT table_schema FROM information_schema.tables WHERE table_name = 'greeting' AND table_schema = $1",
      [db.schema],
    );

    expect(rows).toEqual([{ text: 'hello postgres' }]);
    expect(where).toEqual([{ table_schema: db.schema }]);
  });
});
