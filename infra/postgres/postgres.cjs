'use strict';
// The PostgreSQL that tests and `npm start` use when DATABASE_URL is not set, in this order:
//   1. a server that answers at $DATABASE_HOST:$PGPORT (127.0.0.1:5432), the machine's own;
//   2. the machine's Debian cluster, started with pg_ctlcluster when it is installed but stopped;
//   3. a private cluster under infra/postgres/.data on 127.0.0.1:5433 (trust auth), made with initdb on first use.
// Then the database is created when missing. Plain CommonJS, like infra/kafka/kafka.cjs: the jest global setup
// requires it and `node infra/postgres/postgres.cjs start|status|url|stop` runs it.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const HERE = __dirname;
const PRIVATE_DIR = path.join(HERE, '.data');
const PRIVATE_PGDATA = path.join(PRIVATE_DIR, 'pgdata');
const PRIVATE_PORT = 5433;
const USER = 'postgres';
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '::1'];

const defaultLog = (line) => process.stderr.write(`[postgres] ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const mainServer = () => ({
  host: process.env.DATABASE_HOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
});
// A server found on this machine is reached through its Unix socket when that answers: the same server, and a
// query costs about a fifth less CPU on both sides than over TCP on 127.0.0.1 (docs/loop-performance.md, "PostgreSQL
// through its Unix socket"). The URL keeps the TCP address and names the socket folder in `?host=`, which pg
// prefers. DATABASE_SOCKET=0 keeps TCP.
const urlOf = ({ host, port, socket }, database) =>
  `postgres://${USER}@${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(database)}${socket ? `?host=${encodeURIComponent(socket)}` : ''}`;

// Errors that mean "nobody (ready) is listening there": anything else (a password demanded, say) is a real answer.
// 57P03: starting up or shutting down.
const NOT_LISTENING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '57P03']);

async function withClient({ host, port }, database, fn) {
  const { Client } = require('pg');
  const client = new Client({ host, port, user: USER, database, connectionTimeoutMillis: 3000, query_timeout: 30000 });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** true when the server answers, false when nothing listens there; throws when it answers but refuses us. */
async function answers(server) {
  try {
    await withClient(server, 'postgres', (client) => client.query('SELECT 1'));
    return true;
  } catch (error) {
    if (NOT_LISTENING.has(error.code) || /timeout|terminated/i.test(error.message)) return false;
    throw new Error(`PostgreSQL at ${server.host}:${server.port} answers but refuses user ${USER}: ${error.message}`);
  }
}

/** `server` with the folder of its Unix socket (`socket`) when it is local and answers there too. */
async function withSocket(server) {
  if (process.env.DATABASE_SOCKET === '0' || !LOCAL_HOSTS.includes(server.host)) return server;
  const { rows } = await withClient(server, 'postgres', (client) => client.query("SELECT current_setting('unix_socket_directories') AS folders"));
  for (const folder of rows[0].folders.split(',').map((entry) => entry.trim())) {
    if (!folder.startsWith('/') || !fs.existsSync(path.join(folder, `.s.PGSQL.${server.port}`))) continue;
    if (await answers({ host: folder, port: server.port }).catch(() => false)) return { ...server, socket: folder };
  }
  return server;
}

async function waitFor(server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(server)) return true;
    await sleep(250);
  }
  return false;
}

function run(command, args, { timeoutMs = 60000, asPostgres = false } = {}) {
  // initdb and pg_ctl refuse to run as root, so as root they run as the postgres OS user.
  if (asPostgres && process.getuid && process.getuid() === 0) [command, args] = ['runuser', ['-u', USER, '--', command, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-10000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} ${signal ? `was killed after ${timeoutMs} ms` : `exited with ${code}`}: ${output.trim()}`));
    });
  });
}

const newestVersion = (dir) => {
  try {
    return fs.readdirSync(dir).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a))[0];
  } catch {
    return undefined;
  }
};

async function startMachineCluster(server, log) {
  const version = newestVersion('/etc/postgresql');
  if (!version || !fs.existsSync(`/etc/postgresql/${version}/main`)) return false;
  log(`starting the machine's cluster: pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
  const started = Date.now();
  try {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { timeoutMs: 90000 });
  } catch (error) {
    log(`pg_ctlcluster failed: ${error.message.split('\n')[0]}`);
    return false;
  }
  if (await waitFor(server, 30000)) {
    log(`${server.host}:${server.port} answers after ${Date.now() - started} ms`);
    return true;
  }
  log(`the machine's cluster started but ${server.host}:${server.port} does not answer`);
  return false;
}

// pg_ctl and initdb are not on PATH on Debian: they live in the versioned bin folder.
function pgBin(name) {
  const version = newestVersion('/usr/lib/postgresql');
  const candidate = version && `/usr/lib/postgresql/${version}/bin/${name}`;
  return candidate && fs.existsSync(candidate) ? candidate : name;
}

async function startPrivateCluster(log) {
  const server = { host: '127.0.0.1', port: PRIVATE_PORT };
  if (await answers(server)) return server;
  const asRoot = process.getuid && process.getuid() === 0;
  if (!fs.existsSync(path.join(PRIVATE_PGDATA, 'PG_VERSION'))) {
    log(`creating a private cluster in ${PRIVATE_PGDATA}`);
    fs.rmSync(PRIVATE_PGDATA, { recursive: true, force: true }); // a half-made one from an interrupted initdb
    fs.mkdirSync(PRIVATE_PGDATA, { recursive: true, mode: 0o700 });
    if (asRoot) {
      const entry = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith(`${USER}:`));
      if (!entry) throw new Error(`initdb cannot run as root and there is no ${USER} OS user to run it as`);
      const [uid, gid] = entry.split(':').slice(2, 4).map(Number);
      fs.chownSync(PRIVATE_DIR, uid, gid);
      fs.chownSync(PRIVATE_PGDATA, uid, gid);
    }
    const args = ['-D', PRIVATE_PGDATA, '-U', USER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-instructions'];
    await run(pgBin('initdb'), args, { timeoutMs: 120000, asPostgres: true });
  }
  log(`starting the private cluster on 127.0.0.1:${PRIVATE_PORT}`);
  // Sockets in the data folder: the machine's socket folder may be missing or not ours.
  const options = `-c listen_addresses=127.0.0.1 -c port=${PRIVATE_PORT} -c unix_socket_directories=${PRIVATE_PGDATA}`;
  const logFile = path.join(PRIVATE_DIR, 'postgres.log');
  await run(pgBin('pg_ctl'), ['-D', PRIVATE_PGDATA, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'], {
    timeoutMs: 90000,
    asPostgres: true,
  }).catch((error) => {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-10).join('\n') : '';
    throw new Error(`${error.message}\n--- ${logFile}\n${tail}`);
  });
  if (!(await waitFor(server, 30000))) throw new Error(`the private cluster started but 127.0.0.1:${PRIVATE_PORT} does not answer`);
  return server;
}

async function createDatabase(server, database, log) {
  await withClient(server, 'postgres', async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount > 0) return;
    try {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      log(`created database ${database}`);
    } catch (error) {
      // Another process created it between our check and ours: 42P04, or 23505 when both raced inside the catalog.
      if (error.code !== '42P04' && error.code !== '23505') throw error;
    }
  });
}

/**
 * Finds or starts a PostgreSQL server and makes sure `database` exists; resolves to { url, started }, where
 * `started` says what this call started: 'none' (it answered already), 'machine' or 'private'.
 */
async function ensurePostgres({ database = process.env.GOLDEN_LOOP_DATABASE || 'golden_loop', log = defaultLog } = {}) {
  let server = mainServer();
  let started = 'none';
  if (!(await answers(server))) {
    if (!LOCAL_HOSTS.includes(server.host)) throw new Error(`PostgreSQL at ${server.host}:${server.port} does not answer`);
    log(`nothing answers at ${server.host}:${server.port}`);
    if (await startMachineCluster(server, log)) {
      started = 'machine';
    } else {
      const privateAnswered = await answers({ host: '127.0.0.1', port: PRIVATE_PORT });
      server = await startPrivateCluster(log);
      started = privateAnswered ? 'none' : 'private';
    }
  }
  await createDatabase(server, database, log);
  return { url: urlOf(await withSocket(server), database), started };
}

/** Stops the machine's cluster; only for a caller that started it itself (`npm start` on Ctrl-C). */
async function stopMachinePostgres({ log = defaultLog } = {}) {
  const version = newestVersion('/etc/postgresql');
  if (!version) return;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'stop'], { timeoutMs: 90000 });
  log("stopped the machine's cluster");
}

/** Which server answers, without starting anything. */
async function postgresStatus() {
  for (const [which, server] of [['main', mainServer()], ['private', { host: '127.0.0.1', port: PRIVATE_PORT }]]) {
    if (await answers(server)) return { answering: true, which, host: server.host, port: server.port };
  }
  return { answering: false };
}

/** Stops the private cluster, if this script made and started one; the machine's own cluster is never touched. */
async function stopPrivatePostgres({ log = defaultLog } = {}) {
  if (!fs.existsSync(path.join(PRIVATE_PGDATA, 'postmaster.pid'))) return log('the private cluster is not running');
  await run(pgBin('pg_ctl'), ['-D', PRIVATE_PGDATA, '-m', 'fast', '-w', '-t', '60', 'stop'], { timeoutMs: 90000, asPostgres: true });
  log('stopped the private cluster');
}

module.exports = { ensurePostgres, postgresStatus, stopMachinePostgres, stopPrivatePostgres };

const USAGE = `usage: node infra/postgres/postgres.cjs <command>
  start [database]  find or start a server and create the database (default $GOLDEN_LOOP_DATABASE or golden_loop); prints its URL
  url [database]    print the URL of the server that answers now, starting and creating nothing (exit 1 if none)
  status            print a JSON status; exit 1 unless a server answers
  stop              stop the private cluster under infra/postgres/.data (the machine's own is left alone)
env: DATABASE_HOST (127.0.0.1), PGPORT (5432), DATABASE_SOCKET (0: connect over TCP even where the Unix socket answers)`;

async function main([command, database]) {
  switch (command) {
    case 'start':
      console.log((await ensurePostgres(database ? { database } : {})).url);
      return 0;
    case 'url':
    case 'status': {
      const status = await postgresStatus();
      if (command === 'status') console.log(JSON.stringify(status, null, 2));
      else if (status.answering) console.log(urlOf(await withSocket(status), database || process.env.GOLDEN_LOOP_DATABASE || 'golden_loop'));
      else defaultLog('no PostgreSQL server answers');
      return status.answering ? 0 : 1;
    }
    case 'stop':
      await stopPrivatePostgres();
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      defaultLog(`error: ${error.message}`);
      process.exit(1);
    },
  );
}
