import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { MultiBar, Presets } from 'cli-progress';
import { createImportContext, drainOutbox } from './import-app';
import { countLines, PlanImporter, type ImportSummary, type LineFailure } from './plan-importer';
import { runScript } from '@golden-loop/service-kit';

// npm run import -- <file.ndjson> [--concurrency N] [--plans-per-commit N] [--steps-per-commit N]   (docs/import.md)

const usage = 'usage: npm run import -- <file.ndjson> [--concurrency N] [--plans-per-commit N] [--steps-per-commit N]';

const optionOf = (args: readonly string[], name: string): number | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number above 0\n${usage}`);
  return value;
};

export const describeFailure = (failure: LineFailure): string => {
  const where = failure.step === undefined ? '' : ` step ${failure.step.number} (${failure.step.command})`;
  const fields = failure.problems
    .slice(0, 5)
    .map((problem) => `\n    ${problem.field}: ${problem.reason}`)
    .join('');
  return `line ${failure.line}${failure.planId === null ? '' : ` (plan ${failure.planId})`}${where}: ${failure.code}: ${failure.reason}${failure.step === undefined ? '' : fields}`;
};

export const describeSummary = (summary: ImportSummary): string =>
  [
    `plans imported: ${summary.imported}${summary.resumed > 0 ? ` (${summary.resumed} resumed where an earlier run stopped)` : ''}`,
    `plans skipped, already there: ${summary.skipped}`,
    `lines failed: ${summary.failed}`,
    `events written: ${summary.events}`,
    `time: ${summary.seconds.toFixed(1)} s, ${Math.round(summary.eventsPerSecond)} events/s`,
  ].join('\n');

const main = async (): Promise<number> => {
  const args = process.argv.slice(2);
  const file = args.find((arg, index) => !arg.startsWith('--') && !(index > 0 && args[index - 1].startsWith('--')));
  if (file === undefined || !existsSync(file)) {
    console.error(file === undefined ? usage : `no such file: ${file}\n${usage}`);
    return 2;
  }
  const concurrency = optionOf(args, '--concurrency');
  const plansPerCommit = optionOf(args, '--plans-per-commit');
  const stepsPerCommit = optionOf(args, '--steps-per-commit');
  // The service's own log lines would break the bar; warnings and errors still show.
  process.env.LOG_LEVEL ??= 'warn';
  const total = await countLines(file);
  const app = await createImportContext();
  const bars = new MultiBar(
    {
      format: 'importing |{bar}| {percentage}% | {value}/{total} lines | {events} events | {rate} events/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 200,
      // Progress in a log too (CI, a file): a line every 5 s where there is no terminal.
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    Presets.shades_classic,
  );
  const bar = bars.create(total, 0, { events: 0, rate: 0 });
  const started = performance.now();
  try {
    const summary = await PlanImporter.of(app).importFile(file, {
      concurrency,
      plansPerCommit,
      stepsPerCommit,
      onProgress: ({ lines, events }) => bar.update(lines, { events, rate: Math.round(events / ((performance.now() - started) / 1000)) }),
      onFailure: (failure) => bars.log(`${describeFailure(failure)}\n`),
    });
    bar.update(total);
    bars.stop();
    const published = performance.now();
    const left = await drainOutbox(app, 300_000);
    console.log(describeSummary(summary));
    console.log(left === 0 ? `published to Kafka through the outbox in ${((performance.now() - published) / 1000).toFixed(1)} s more` : `${left} events still in the outbox: the plan service's relay publishes them when it runs`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    bars.stop();
    await app.close();
  }
};

runScript(main);
