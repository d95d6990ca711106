'use strict';
// A real Kafka 3.9.2 broker (one KRaft node, broker and controller in one process) on the JDK, from Maven Central
// jars, for machines without a container runtime. Plain CommonJS because the jest global setup requires it and
// `node infra/kafka/kafka.cjs start|wait|topics|stop|wipe|status` runs it directly (see README.md beside it).
//
// The broker is started detached, so whoever started it (a test run, `npm start`, CI) can exit and leave it
// running for the next user; its PID is kept in <data>/kafka.pid and `stop` ends it.

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const HERE = __dirname;
const LIBS = path.join(HERE, '.libs');
const POM = path.join(HERE, 'pom.xml');
const JARS_MARKER = path.join(LIBS, '.pom-sha256');
const MAIN_CLASS = 'kafka.Kafka';

const defaultLog = (line) => process.stderr.write(`[kafka] ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Read at call time so a caller may set KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_DATA_DIR before calling.
function config() {
  const port = Number(process.env.KAFKA_PORT || 9092);
  const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT || 9093);
  const dataDir = path.resolve(process.env.KAFKA_DATA_DIR || path.join(HERE, '.data'));
  return {
    port,
    controllerPort,
    dataDir,
    brokers: `127.0.0.1:${port}`,
    logDir: path.join(dataDir, 'kraft-combined-logs'),
    logsDir: path.join(dataDir, 'logs'),
    propsFile: path.join(dataDir, 'server.properties'),
    pidFile: path.join(dataDir, 'kafka.pid'),
    lockFile: path.join(dataDir, 'start.lock'),
    outFile: path.join(dataDir, 'logs', 'kafka.out'),
  };
}

async function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// One short-lived admin client per call: kafkajs keeps sockets and timers open otherwise, and a CLI must exit.
async function withAdmin(brokers, fn, { connectionTimeout = 1000, requestTimeout = 5000, retries = 0 } = {}) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'golden-loop-infra',
    brokers: brokers.split(',').map((b) => b.trim()),
    logLevel: logLevel.NOTHING,
    connectionTimeout,
    requestTimeout,
    retry: { retries },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function describe(brokers) {
  const cluster = await withTimeout(
    withAdmin(brokers, (admin) => admin.describeCluster()),
    8000,
    `describeCluster at ${brokers} took over 8 s`,
  );
  if (!cluster.brokers || cluster.brokers.length === 0) throw new Error(`Kafka at ${brokers} lists no brokers yet`);
  return cluster;
}

async function answers(brokers) {
  try {
    await describe(brokers);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with describeCluster() once the broker answers; rejects after timeoutMs, or early if stillAlive() says the process is gone. */
async function waitForKafka(brokers = config().brokers, timeoutMs = 60000, { stillAlive } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      return await describe(brokers);
    } catch (error) {
      // Without kafkajs (no `npm ci` yet) no attempt can ever answer: say so now, not after every attempt's timeout.
      if (error && error.code === 'MODULE_NOT_FOUND') {
        throw Object.assign(new Error(`kafkajs is not installed here (run npm ci first): ${error.message.split('\n')[0]}`), { fatal: true });
      }
      lastError = error;
    }
    if (stillAlive && !stillAlive()) throw new Error(`the broker process exited before ${brokers} answered`);
    await sleep(250);
  }
  throw new Error(`Kafka at ${brokers} did not answer within ${timeoutMs} ms (last error: ${lastError && lastError.message})`);
}

/** Creates the topics that do not exist yet; returns the names it created. Accepts names or {topic, numPartitions, ...}. */
async function createTopics(brokers, topics, { timeoutMs = 30000 } = {}) {
  const specs = topics.map((t) => (typeof t === 'string' ? { topic: t } : t));
  const work = withAdmin(
    brokers,
    async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((s) => !existing.has(s.topic));
      if (missing.length > 0) {
        // false means another client created them first: the outcome we want anyway.
        await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: timeoutMs });
      }
      return missing.map((s) => s.topic);
    },
    { retries: 3, requestTimeout: timeoutMs },
  );
  return withTimeout(work, timeoutMs + 5000, `creating topics at ${brokers} took over ${timeoutMs} ms`);
}

// Commands we wait for (mvn, the storage tool): output is kept for the error message, and a hung one is killed.
function run(command, args, { timeoutMs, cwd = HERE }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command} (${error.message}): is it installed and on PATH?`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else {
        const why = signal === 'SIGKILL' ? `was killed after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
        reject(new Error(`${command} ${args.slice(-4).join(' ')} ${why}:\n${output.trim()}`));
      }
    });
  });
}

const javaBin = () => (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const readText = (file) => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
};

// The marker holds the hash of the pom the jars came from, so a half-finished download or a version bump in
// pom.xml never leaves a mixed classpath behind: both lead to a fresh download.
async function ensureJars(log) {
  if (readText(JARS_MARKER) === sha256(POM)) return;
  const started = Date.now();
  log('downloading the Kafka jars from Maven Central (mvn) into infra/kafka/.libs');
  fs.rmSync(LIBS, { recursive: true, force: true });
  const args = ['-B', '-q', '-f', POM, 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies'];
  args.push('-DincludeScope=runtime', `-DoutputDirectory=${LIBS}`);
  await run(process.platform === 'win32' ? 'mvn.cmd' : 'mvn', args, { timeoutMs: 10 * 60 * 1000 });
  fs.writeFileSync(JARS_MARKER, sha256(POM));
  const jars = fs.readdirSync(LIBS).filter((f) => f.endsWith('.jar'));
  const mb = jars.reduce((sum, f) => sum + fs.statSync(path.join(LIBS, f)).size, 0) / 1e6;
  log(`${jars.length} jars (${mb.toFixed(1)} MB) downloaded in ${Date.now() - started} ms`);
}

// The checked-in server.properties with the keys that depend on ports and the data folder rewritten.
function writeProps(cfg) {
  const overrides = {
    'controller.quorum.voters': `1@127.0.0.1:${cfg.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${cfg.port},CONTROLLER://127.0.0.1:${cfg.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${cfg.port}`,
    'log.dirs': cfg.logDir,
  };
  const lines = fs
    .readFileSync(path.join(HERE, 'server.properties'), 'utf8')
    .split('\n')
    .map((line) => {
      const key = (/^([\w.]+)=/.exec(line) || [])[1];
      return key in overrides ? `${key}=${overrides[key]}` : line;
    });
  const header = '# Generated by infra/kafka/kafka.cjs from infra/kafka/server.properties on every start: edit that file.\n';
  fs.writeFileSync(cfg.propsFile, header + lines.join('\n'));
}

async function formatStorage(cfg, log) {
  if (fs.existsSync(path.join(cfg.logDir, 'meta.properties'))) return;
  let clusterId;
  do clusterId = crypto.randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')); // Kafka's own random-uuid avoids these: they read as a command-line option
  const started = Date.now();
  const args = ['-cp', path.join(LIBS, '*'), 'kafka.tools.StorageTool', 'format'];
  args.push('-t', clusterId, '-c', cfg.propsFile, '--ignore-formatted');
  await run(javaBin(), ['-Xmx256m', '-XX:+UseSerialGC', ...args], { timeoutMs: 120000 });
  log(`formatted ${cfg.logDir} (cluster ${clusterId}) in ${Date.now() - started} ms`);
}

// A PID counts as our broker only while its command line says so: PIDs are reused, and a zombie has none.
function isBroker(pid) {
  if (!pid) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MAIN_CLASS);
  } catch (error) {
    if (error.code !== 'ENOENT' || fs.existsSync('/proc/self')) return false;
  }
  try {
    process.kill(pid, 0); // no /proc (macOS): a live PID is the best we can tell
    return true;
  } catch {
    return false;
  }
}

// The PID file first; failing that, a broker on our properties file (the PID file may have been deleted under it).
function brokerPid(cfg) {
  const recorded = Number(readText(cfg.pidFile));
  if (isBroker(recorded)) return recorded;
  let entries = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const name of entries) {
    const cmdline = readText(`/proc/${name}/cmdline`);
    if (cmdline.includes(MAIN_CLASS) && cmdline.includes(cfg.propsFile)) return Number(name);
  }
  return null;
}

// What this start wrote to the broker log: its ERROR lines and causes first, since the last lines of a failed
// start are only the shutdown that followed.
function startLog(cfg, offset) {
  const file = path.join(cfg.logsDir, 'server.log');
  let text = readText(file);
  text = text.length >= offset ? text.slice(offset) : text; // rolled over meanwhile: show what there is
  const lines = text.split('\n');
  const errors = [...new Set(lines.filter((l) => /^\[.*\] (ERROR|FATAL) |^Caused by: /.test(l)))].slice(0, 12);
  return `--- ${file} (errors of this start)\n${errors.join('\n') || '(none)'}\n--- last lines\n${lines.slice(-8).join('\n')}`;
}

async function startOnce(cfg, timeoutMs) {
  fs.mkdirSync(cfg.logsDir, { recursive: true });
  const logOffset = readText(path.join(cfg.logsDir, 'server.log')).length;
  const out = fs.openSync(cfg.outFile, 'a');
  const outOffset = fs.fstatSync(out).size;
  fs.writeSync(out, `\n--- ${new Date().toISOString()} starting ${MAIN_CLASS} ${cfg.propsFile}\n`);
  const args = [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${path.join(HERE, 'log4j.properties')}`,
    `-Dkafka.logs.dir=${cfg.logsDir}`,
    '-cp',
    path.join(LIBS, '*'),
    MAIN_CLASS,
    cfg.propsFile,
  ];
  const child = spawn(javaBin(), args, { cwd: HERE, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(Object.assign(new Error(`cannot run ${javaBin()} (${error.message}): set JAVA_HOME or put a JDK 11+ on PATH`), { fatal: true })),
    );
  });
  let exit = null;
  child.once('exit', (code, signal) => {
    exit = code ?? signal;
  });
  child.unref();
  fs.writeFileSync(cfg.pidFile, String(child.pid));
  try {
    await waitForKafka(cfg.brokers, timeoutMs, { stillAlive: () => exit === null });
    return child.pid;
  } catch (error) {
    const died = exit !== null;
    if (!died) await stopPid(cfg, child.pid, 15000, () => {});
    const summary = died
      ? `the broker exited (${exit}) before ${cfg.brokers} answered`
      : `${error.message}; stopped the broker`;
    const jvm = readText(cfg.outFile).slice(outOffset).trim();
    const details = `${startLog(cfg, logOffset)}\n--- ${cfg.outFile}\n${jvm.split('\n').slice(-10).join('\n')}`;
    throw Object.assign(new Error(`${summary}\n${details}`), { portTaken: /Address already in use/.test(details), fatal: Boolean(error.fatal) });
  }
}

// One starter at a time per data folder (say `npm start` and a test run at once): the loser waits for the winner.
function tryLock(cfg) {
  for (let i = 0; i < 3; i++) {
    try {
      fs.writeFileSync(cfg.lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(cfg.lockFile, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(readText(cfg.lockFile));
      let alive = false;
      try {
        // Our own PID: a second ensureKafka() running concurrently in this process.
        alive = holder > 0 && (holder === process.pid || process.kill(holder, 0));
      } catch {}
      if (alive) return null;
      fs.rmSync(cfg.lockFile, { force: true }); // left by a starter that died
    }
  }
  throw new Error(`cannot take ${cfg.lockFile}`);
}

/**
 * Makes sure a broker answers at 127.0.0.1:$KAFKA_PORT (9092): reuses one that already does, otherwise downloads
 * the jars if needed, formats the storage once and starts one detached.
 * Resolves to { brokers, started, pid? }; rejects with the broker's last log lines when it cannot start.
 */
async function ensureKafka({ log = defaultLog, timeoutMs = Number(process.env.KAFKA_START_TIMEOUT_MS || 60000), attempts = 3 } = {}) {
  const cfg = config();
  const begun = Date.now();
  if (await answers(cfg.brokers)) {
    const pid = brokerPid(cfg) ?? undefined;
    log(`reusing the broker at ${cfg.brokers}${pid ? ` (pid ${pid})` : ''}`);
    return { brokers: cfg.brokers, started: false, pid };
  }
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  const release = tryLock(cfg);
  if (!release) {
    log(`another start (pid ${readText(cfg.lockFile)}) is under way; waiting for its broker`);
    await waitForKafka(cfg.brokers, timeoutMs + 10 * 60 * 1000).catch((error) => {
      throw new Error(`${error.message}; if no start is running, delete ${cfg.lockFile}`);
    });
    return { brokers: cfg.brokers, started: false, pid: brokerPid(cfg) ?? undefined };
  }
  try {
    const running = brokerPid(cfg);
    if (running) {
      // Ours, but not answering: still starting (an interrupted start) or wedged. Give it one timeout, then replace it.
      log(`broker process ${running} is running but does not answer yet; waiting up to ${timeoutMs} ms`);
      try {
        await waitForKafka(cfg.brokers, timeoutMs, { stillAlive: () => isBroker(running) });
        log(`broker process ${running} answers now`);
        return { brokers: cfg.brokers, started: false, pid: running };
      } catch {
        log(`broker process ${running} never answered; stopping it`);
        await stopPid(cfg, running, 15000, log);
      }
    }
    await ensureJars(log);
    writeProps(cfg);
    await formatStorage(cfg, log);
    let lastError;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = Date.now();
      log(`starting Kafka 3.9.2 at ${cfg.brokers} (attempt ${attempt}/${attempts}, log ${path.join(cfg.logsDir, 'server.log')})`);
      try {
        const pid = await startOnce(cfg, timeoutMs);
        log(`ready at ${cfg.brokers} in ${Date.now() - started} ms (pid ${pid}; ${Date.now() - begun} ms in all)`);
        return { brokers: cfg.brokers, started: true, pid };
      } catch (error) {
        lastError = error;
        log(`attempt ${attempt} failed: ${error.message.split('\n')[0]}`);
        // A broker that answers now (another starter won the race for the port, or the first probe timed out on a
        // busy machine) is as good as ours.
        if (await answers(cfg.brokers)) return { brokers: cfg.brokers, started: false, pid: brokerPid(cfg) ?? undefined };
        if (error.portTaken || error.fatal) break; // another program holds the port, or no java: retrying cannot help
      }
    }
    throw new Error(`could not start Kafka at ${cfg.brokers}: ${lastError.message}`);
  } finally {
    release();
  }
}

async function stopPid(cfg, pid, timeoutMs, log) {
  const gone = async (ms) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isBroker(pid)) return true;
      await sleep(100);
    }
    return !isBroker(pid);
  };
  const started = Date.now();
  try {
    process.kill(pid, 'SIGTERM');
  } catch {}
  if (!(await gone(timeoutMs))) {
    log(`broker ${pid} still running ${timeoutMs} ms after SIGTERM; sending SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
    if (!(await gone(5000))) throw new Error(`broker ${pid} survived SIGKILL`);
  }
  if (Number(readText(cfg.pidFile)) === pid) fs.rmSync(cfg.pidFile, { force: true });
  return Date.now() - started;
}

/** Stops the broker this script started (SIGTERM, then SIGKILL after timeoutMs). A broker it did not start is left alone. */
async function stopKafka({ log = defaultLog, timeoutMs = 30000 } = {}) {
  const cfg = config();
  const pid = brokerPid(cfg);
  if (!pid) {
    fs.rmSync(cfg.pidFile, { force: true });
    log('no broker of ours is running');
    return { stopped: false };
  }
  log(`stopping broker ${pid}`);
  const ms = await stopPid(cfg, pid, timeoutMs, log);
  log(`broker ${pid} stopped in ${ms} ms`);
  return { stopped: true, pid, ms };
}

/** Stops the broker and deletes its data folder (topics, offsets, logs); the jars stay. */
async function wipeKafka({ log = defaultLog } = {}) {
  const cfg = config();
  await stopKafka({ log });
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  log(`deleted ${cfg.dataDir}`);
}

async function kafkaStatus() {
  const cfg = config();
  const pid = brokerPid(cfg);
  return {
    brokers: cfg.brokers,
    answering: await answers(cfg.brokers),
    pid: pid || null,
    jars: readText(JARS_MARKER) === sha256(POM),
    formatted: fs.existsSync(path.join(cfg.logDir, 'meta.properties')),
    dataDir: cfg.dataDir,
    log: path.join(cfg.logsDir, 'server.log'),
  };
}

module.exports = { ensureKafka, waitForKafka, createTopics, stopKafka, wipeKafka, kafkaStatus };

const USAGE = `usage: node infra/kafka/kafka.cjs <command>
  start                  start the local broker unless one answers; prints its address
  wait [timeoutMs]       wait until $KAFKA_BROKERS (or the local broker) answers (default 60000)
  topics <name[:parts]>  create missing topics on $KAFKA_BROKERS (or the local broker)
  stop                   stop the broker this script started
  wipe                   stop it and delete its data
  status                 print a JSON status; exit 1 unless the broker answers
env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA_DIR (infra/kafka/.data), KAFKA_START_TIMEOUT_MS (60000, per attempt)`;

async function main([command, ...args]) {
  const target = process.env.KAFKA_BROKERS || config().brokers;
  switch (command) {
    case 'start':
      console.log((await ensureKafka()).brokers);
      return 0;
    case 'wait':
      await waitForKafka(target, Number(args[0] || 60000));
      defaultLog(`${target} answers`);
      return 0;
    case 'topics': {
      if (args.length === 0) throw new Error('topics: name at least one topic');
      const specs = args.map((arg) => {
        const [topic, parts] = arg.split(':');
        return parts ? { topic, numPartitions: Number(parts) } : { topic };
      });
      const created = await createTopics(target, specs);
      defaultLog(created.length ? `created ${created.join(', ')}` : 'all topics existed already');
      return 0;
    }
    case 'stop':
      await stopKafka();
      return 0;
    case 'wipe':
      await wipeKafka();
      return 0;
    case 'status': {
      const status = await kafkaStatus();
      console.log(JSON.stringify(status, null, 2));
      return status.answering ? 0 : 1;
    }
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
