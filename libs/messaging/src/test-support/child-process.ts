import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..', '..');

export interface TsChild {
  readonly process: ChildProcess;
  /** Resolves with the first IPC message that matches; rejects if the child exits first or time runs out. */
  next<M extends { type: string }>(type: M['type'], timeoutMs?: number): Promise<M>;
  /** Every IPC message received so far. */
  readonly received: ReadonlyArray<{ type: string }>;
  /** SIGKILL: no handler runs, no connection is closed politely, no buffer is flushed. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  terminate(): Promise<number | null>;
  stderr(): string;
}

/** Runs one of the TypeScript scripts next to this file in its own Node process, like a service instance. */
export const forkTs = (script: string, env: Record<string, string>): TsChild => {
  const child = fork(join(__dirname, script), [], {
    cwd: repoRoot,
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const received: Array<{ type: string }> = [];
  const waiters = new Set<() => void>();
  let errors = '';
  let exited = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-8_000);
  });
  child.stdout?.resume();
  child.on('message', (message: { type: string }) => {
    received.push(message);
    for (const wake of [...waiters]) wake();
  });
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      for (const wake of [...waiters]) wake();
      resolve(code);
    }),
  );

  return {
    process: child,
    received,
    stderr: () => errors,
    next: <M extends { type: string }>(type: M['type'], timeoutMs = 90_000) =>
      new Promise<M>((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < received.length; seen += 1) {
            const message = received[seen];
            if (message?.type === type) {
              done();
              received.splice(seen, 1);
              resolve(message as M);
              return;
            }
          }
          if (exited) {
            done();
            reject(new Error(`${script} exited before sending '${type}'. stderr:\n${errors}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${script} sent no '${type}' within ${timeoutMs} ms. stderr:\n${errors}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    kill: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    terminate: async () => {
      if (!exited) child.kill('SIGTERM');
      return exit;
    },
  };
};

/** Inside a forked script: a setting the parent must have passed. */
export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** Inside a forked script: tells the parent, and resolves once the message has left. */
export const reportToParent = <M extends { type: string }>(message: M): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });
