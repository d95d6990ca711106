import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

// The URL infra/postgres hands to tests, `npm start` and the benches: the server's Unix socket when it answers there
// (docs/loop-performance.md, "PostgreSQL through its Unix socket"), TCP otherwise or with DATABASE_SOCKET=0.
const { ensurePostgres } = require(join(__dirname, '../../postgres/postgres.cjs')) as {
  ensurePostgres(options: { database: string; log: (line: string) => void }): Promise<{ url: string }>;
};

const found = async (socket?: string): Promise<string> => {
  const before = process.env.DATABASE_SOCKET;
  if (socket === undefined) delete process.env.DATABASE_SOCKET;
  else process.env.DATABASE_SOCKET = socket;
  try {
    return (await ensurePostgres({ database: 'golden_loop_test', log: () => undefined })).url;
  } finally {
    if (before === undefined) delete process.env.DATABASE_SOCKET;
    else process.env.DATABASE_SOCKET = before;
  }
};

/** Where a connection made with `url` lands: the server's address (null through a Unix socket) and its identity. */
const reached = async (url: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ address: string | null; server: string; database: string; folders: string }>(
      `SELECT host(inet_server_addr()) AS address, (SELECT system_identifier::text FROM pg_control_system()) AS server,
              current_database() AS database, current_setting('unix_socket_directories') AS folders`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
};

describe('the PostgreSQL URL of this machine', () => {
  test('reaches the server through its Unix socket when the socket answers (the same server and database as TCP), and TCP with DATABASE_SOCKET=0', async () => {
    const tcp = await found('0');
    const url = await found();
    const overTcp = await reached(tcp);
    expect(overTcp.address).not.toBeNull();
    const { port, searchParams } = new URL(tcp);
    const sockets = overTcp.folders.split(',').map((folder) => join(folder.trim(), `.s.PGSQL.${port}`));
    const folder = new URL(url).searchParams.get('host');
    // This machine's server has one (/var/run/postgresql); a server in a container reached over TCP may have none.
    expect(folder !== null).toBe(sockets.some((socket) => existsSync(socket)));
    expect(searchParams.has('host')).toBe(false);
    if (folder !== null) expect(await reached(url)).toEqual({ ...overTcp, address: null });
  });

  test('is one TypeORM reads as well: the database name without the socket folder', async () => {
    const dataSource = new DataSource({ type: 'postgres', url: await found() });
    await dataSource.initialize();
    try {
      expect(await dataSource.query('SELECT current_database() AS database')).toEqual([{ database: 'golden_loop_test' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
