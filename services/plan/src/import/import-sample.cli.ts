import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { sampleHistories } from './sample-histories';
// The script helper alone: the generator needs nothing else of the kit.
import { runScript } from '@golden-loop/service-kit/src/script';

// npm run import:sample -- --plans N [--out file] [--weeks MIN-MAX] [--seed S]   (docs/import.md)

const usage = 'usage: npm run import:sample -- --plans N [--out file.ndjson] [--weeks MIN-MAX] [--seed S]';

const valueOf = (args: readonly string[], name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};

const main = async (): Promise<number> => {
  const args = process.argv.slice(2);
  const plans = Number(valueOf(args, '--plans'));
  const weeks = /^(\d+)-(\d+)$/.exec(valueOf(args, '--weeks') ?? '12-156');
  const seed = Number(valueOf(args, '--seed') ?? 1);
  if (!Number.isInteger(plans) || plans < 1 || weeks === null || !Number.isInteger(seed)) {
    console.error(usage);
    return 2;
  }
  const file = valueOf(args, '--out');
  const out = file === undefined ? process.stdout : createWriteStream(file);
  for (const line of sampleHistories({ plans, minWeeks: Number(weeks[1]), maxWeeks: Number(weeks[2]), seed })) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  if (file !== undefined) {
    out.end();
    await once(out, 'finish');
    console.error(`${plans} plan histories written to ${file}`);
  }
  return 0;
};

runScript(main);
