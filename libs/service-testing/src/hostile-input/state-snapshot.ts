import type { DataSource } from 'typeorm';

// What a service has stored, cheaply comparable: every table of its schema (events, streams, outbox, inbox,
// timers, checkpoints, read models) by row count and a checksum of its rows.

export interface TableState {
  readonly rows: number;
  readonly checksum: string;
}

export type StateSnapshot = Readonly<Record<string, TableState>>;

export interface SnapshotOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  /** Columns the service changes on its own, after a request is answered, and that no request can be blamed for (default none). */
  readonly ignoreColumns?: readonly string[];
  /**
   * Tables left out: by default the migrations table (it changes only at start-up) and the outbox relay's position
   * (the relay moves it on its own, after the request is answered).
   */
  readonly ignoreTables?: readonly string[];
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Takes snapshots of a schema's tables in one round trip. The audit trail is left out: it records every
 * authenticated request, refusals included, by design (docs/security.md).
 */
export const stateSnapshotter = async ({ dataSource, schema, ignoreColumns = [], ignoreTables = ['migrations', 'typeorm_metadata', 'audit_events', 'outbox_relay_position'] }: SnapshotOptions) => {
  const tables = (
    await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    )
  )
    .map((row) => row.table_name)
    .filter((table) => !ignoreTables.includes(table));
  if (tables.length === 0) throw new Error(`schema ${schema} has no tables to snapshot`);
  // A row's checksum is over its JSON form without the ignored columns; the table's over its rows' checksums, sorted.
  const sql = tables
    .map(
      (table, index) =>
        `SELECT ${index} AS i, count(*)::int AS rows, coalesce(md5(string_agg(h, '' ORDER BY h)), '') AS checksum
           FROM (SELECT md5((to_jsonb(t) - $1::text[])::text) AS h FROM ${quoted(schema)}.${quoted(table)} t) r`,
    )
    .join(' UNION ALL ');
  return {
    tables,
    take: async (): Promise<StateSnapshot> => {
      const rows = await dataSource.query<{ i: number; rows: number; checksum: string }[]>(sql, [ignoreColumns]);
      return Object.fromEntries(rows.map((row) => [tables[row.i], { rows: row.rows, checksum: row.checksum }]));
    },
  };
};

/** The tables whose rows differ between two snapshots. */
export const changedTables = (before: StateSnapshot, after: StateSnapshot): string[] =>
  Object.keys({ ...before, ...after }).filter(
    (table) => before[table]?.rows !== after[table]?.rows || before[table]?.checksum !== after[table]?.checksum,
  );
