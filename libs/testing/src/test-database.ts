import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';

export interface TestDatabase {
  /** The server URL (DATABASE_URL of the test run). */
  readonly url: string;
  /** A schema that belongs to this test file alone. */
  readonly schema: string;
  /** A pool whose connections have `search_path` set to `schema`. */
  readonly pool: Pool;
  /** Options for a TypeORM DataSource bound to `schema`. */
  readonly typeorm: { type: 'postgres'; url: string; schema: string; extra: { options: string } };
  /** Closes the pool and drops the schema. */
  drop(): Promise<void>;
}

/** Fails, never skips, when the run has no database: a missing PostgreSQL must turn the suite red. */
export const databaseUrl = (): string => {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: the jest global setup (libs/testing) did not find or start PostgreSQL');
  }
  return url;
};

/**
 * Gives the calling test file a fresh schema, so files run in parallel and re-run without cleanup.
 * The prefix names the file in the schema (visible in psql when a run is debugged).
 */
export const testDatabase = async (prefix = 't'): Promise<TestDatabase> => {
  const url = databaseUrl();
  const schema = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  const options = `-c search_path="${schema}"`;
  const pool = new Pool({ connectionString: url, options, max: 10 });
  return {
    url,
    schema,
    pool,
    typeorm: { type: 'postgres', url, schema, extra: { options } },
    drop: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
};
