/**
 * Where a stored check's time goes: wraps pg's `Client.prototype.query` (bench only) and adds each statement's
 * round trip, from the call to its answer, to the class its SQL text falls in. With one check in flight the classes
 * of a check's own statements add up to the time it waits on PostgreSQL; the rest of its wall time is JavaScript
 * (Nest, the fold, the check, encoding) and waiting for the event loop. The outbox relay runs meanwhile (it publishes
 * the checks); its statements are counted apart.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

const CLASSES: readonly [string, RegExp][] = [
  ['begin', /^\s*(START TRANSACTION|BEGIN)/i],
  ['commit', /^\s*COMMIT/i],
  ['rollback', /^\s*ROLLBACK/i],
  ['key lock (runner)', /^\s*SELECT pg_advisory_xact_lock[\s\S]*pg_current_xact_id_if_assigned/i],
  ['key locks (batch)', /unnest\(\$1::text\[\]\) WITH ORDINALITY AS k/i],
  ['key lock (use case)', /^\s*SELECT pg_advisory_xact_lock/i],
  ['stream read', /FROM events e JOIN streams s/i],
  ['stream reads (batch)', /JOIN events e ON e\.stream_id = r\.stream_id/i],
  ['credentials read', /FROM clinician_credentials/i],
  ['append', /INSERT INTO events/i],
  ['outbox insert', /INSERT INTO outbox/i],
  ['read-model upsert', /INSERT INTO plan_readiness/i],
  ['timer claim', /FROM timers[\s\S]*FOR UPDATE SKIP LOCKED/i],
  ['timer fired', /UPDATE timers SET fired_at/i],
  ['timer upsert', /INSERT INTO timers/i],
  ['timer cancel', /DELETE FROM timers/i],
  ['outbox relay (background)', /FROM outbox|UPDATE outbox|pg_try_advisory_lock|pg_advisory_unlock/i],
];

export interface StatementTally {
  count: number;
  ms: number;
}

const textOf = (args: unknown[]): string => {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'text' in first) return String((first).text);
  return '';
};

export class StatementTiming {
  private tallies = new Map<string, StatementTally>();
  private readonly labels = new Map<string, string>();

  /** Patches pg once, before the app makes its pools. */
  install(): void {
    const original = Client.prototype.query as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const timing = this;
    (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
      const started = performance.now();
      const result = original.apply(this, args);
      if (!result || typeof (result as Promise<unknown>).then !== 'function') return result;
      const done = () => timing.add(timing.labelOf(textOf(args)), performance.now() - started);
      (result as Promise<unknown>).then(done, done);
      return result;
    };
  }

  /** The statements since the last call, by class (and starts counting afresh). */
  take(): Map<string, StatementTally> {
    const taken = this.tallies;
    this.tallies = new Map();
    return taken;
  }

  private labelOf(text: string): string {
    let label = this.labels.get(text);
    if (label === undefined) {
      label = CLASSES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
      this.labels.set(text, label);
    }
    return label;
  }

  private add(label: string, ms: number): void {
    const tally = this.tallies.get(label) ?? { count: 0, ms: 0 };
    tally.count += 1;
    tally.ms += ms;
    this.tallies.set(label, tally);
  }
}
