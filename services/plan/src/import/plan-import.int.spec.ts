import { randomUUID } from 'node:crypto';
import { startPlanApi, type PlanApiFixture } from '../test-support/plan-api.fixture';
import { CHECKPOINT_TABLE, PlanImporter, type ImportOptions } from './plan-importer';
import { sampleHistories } from './sample-histories';

// The importer (docs/import.md) on the real plan service, PostgreSQL and Kafka: the same commands the API runs,
// every event through the outbox, nothing twice, bad lines reported, and a crash resumed to one clean import.

let api: PlanApiFixture;
let importer: PlanImporter;
beforeAll(async () => {
  api = await startPlanApi('plan_import');
  importer = PlanImporter.of(api.app);
});
afterAll(async () => api?.close());

const testStarted = new Date().toISOString();
/** Histories of 10 to 20 weeks: scores, a review revision for some, a life event, a met objective or a discharge for others. */
const sample = (plans: number, seed: number) => [...sampleHistories({ plans, minWeeks: 10, maxWeeks: 20, seed })];
const planIdOf = (line: string) => (JSON.parse(line) as { planId: string }).planId;

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  for (const line of lines) yield await Promise.resolve(line);
}

const run = (lines: readonly string[], options: ImportOptions = {}) => importer.importLines(linesOf(lines), { concurrency: 3, ...options });

interface StoredEvent {
  stream_id: string;
  stream_position: string;
  event_type: string;
  data: unknown;
}

const eventsOf = (planIds: readonly string[]) =>
  api.dataSource.query<StoredEvent[]>('SELECT stream_id, stream_position, event_type, data FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_position', [planIds]);

/** Every id of a line replaced by a fresh one (the same id everywhere it appears): the same history for another plan. */
const withNewIds = (line: string, ids: Map<string, string>): string =>
  line.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
    if (!ids.has(id)) ids.set(id, randomUUID());
    return ids.get(id)!;
  });

/** The same histories under fresh ids, and the way back from the new ids to the old. */
const underNewIds = (lines: readonly string[]) => {
  const ids = new Map<string, string>();
  const copy = lines.map((line) => withNewIds(line, ids));
  return { copy, back: new Map([...ids].map(([from, to]) => [to, from])) };
};

/** An event's data with the ids mapped back and the recording times (the import's own clock) blanked. */
const comparable = (data: unknown, back: Map<string, string>): string =>
  JSON.stringify(data).replace(/"([^"]*)"/g, (whole, text: string) => {
    if (back.has(text)) return `"${back.get(text)}"`;
    if (/^\d{4}-\d\d-\d\dT/.test(text) && text >= testStarted) return '"<recorded>"';
    return whole;
  });

/** One plan's events, comparable across copies: position, type and data with the ids mapped back. */
const historyOf = (events: readonly StoredEvent[], plan: string, back: Map<string, string>) =>
  events.filter((e) => e.stream_id === plan).map((e) => `${e.stream_position} ${e.event_type} ${comparable(e.data, back)}`);

describe('importing plan histories', () => {
  const lines = sample(5, 101);
  const planIds = lines.map(planIdOf);

  test('a file is imported through the plan commands; every public event reaches Kafka once, through the outbox', async () => {
    const summary = await run(lines);
    expect(summary).toMatchObject({ lines: 5, imported: 5, resumed: 0, skipped: 0, failed: 0 });
    const stored = await eventsOf(planIds);
    expect(summary.events).toBe(stored.length);
    expect(new Set(stored.map((e) => e.stream_id))).toEqual(new Set(planIds));
    const types = new Set(stored.map((e) => e.event_type));
    for (const type of ['PlanOpened', 'GoalAdded', 'PlanSigned', 'PlanRevised', 'AssessmentRecorded', 'RevisionProposed']) expect(types).toContain(type);
    for (const planId of planIds) {
      const published = await api.settledFor(planId);
      const [{ n }] = await api.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [planId]);
      expect(published).toHaveLength(n);
      expect(new Set(published.map((event) => event.envelope.id)).size).toBe(n);
    }
    // The ids of the file are the plan's: its assessments are there under the ids given.
    const given = JSON.parse(lines[0]) as { assessments: { assessmentId: string }[] };
    const recorded = stored.filter((e) => e.stream_id === planIds[0] && e.event_type === 'AssessmentRecorded').map((e) => (e.data as { assessmentId: string }).assessmentId);
    expect(recorded).toEqual(given.assessments.map((a) => a.assessmentId));
  });

  test('running the same file again imports nothing twice', async () => {
    const before = await eventsOf(planIds);
    const [{ n: outboxBefore }] = await api.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox');
    const summary = await run(lines);
    expect(summary).toMatchObject({ lines: 5, imported: 0, skipped: 5, failed: 0, events: 0 });
    expect(await eventsOf(planIds)).toEqual(before);
    const [{ n: outboxAfter }] = await api.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox');
    expect(outboxAfter).toBe(outboxBefore);
  });
});

describe('bad lines', () => {
  test('each bad line is reported with its number and reason, and the rest is imported', async () => {
    const [good1, tooLong, good2, wrongSigner, good3] = sample(5, 202);
    const longLine = JSON.parse(tooLong) as Record<string, unknown>;
    longLine.presentingProblem = 'x'.repeat(4001);
    const signer = JSON.parse(wrongSigner) as { revisions: { signatures: { signerId: string }[] }[] };
    signer.revisions[0].signatures[0].signerId = randomUUID();
    const file = [good1, '{"planId": "not json', JSON.stringify(longLine), '', good2, JSON.stringify(signer), good3];
    const failures: number[] = [];
    const summary = await run(file, { onFailure: (failure) => failures.push(failure.line) });

    expect(summary).toMatchObject({ lines: 6, imported: 3, failed: 3 });
    expect(failures.sort()).toEqual([2, 3, 6]);
    const byLine = Object.fromEntries(summary.failures.map((failure) => [failure.line, failure]));
    expect(byLine[2]).toMatchObject({ code: 'line_invalid', planId: null, reason: expect.stringMatching(/^\(line\) is not JSON/) });
    expect(byLine[3]).toMatchObject({ code: 'line_invalid', planId: longLine.planId, reason: expect.stringMatching(/^presentingProblem .*4000/) });
    // Refused by the plan's own rule, at the step that broke it; nothing of that plan is stored.
    expect(byLine[6]).toMatchObject({ planId: planIdOf(wrongSigner), code: 'signer_not_on_plan', step: { command: 'SignRevision' } });
    expect(await eventsOf([planIdOf(wrongSigner), String(longLine.planId)])).toEqual([]);
    expect((await eventsOf([good1, good2, good3].map(planIdOf))).length).toBeGreaterThan(0);
  });
});

describe('a crash mid-file', () => {
  test('resumed, it gives exactly the events of one clean import', async () => {
    const clean = sample(4, 303);
    await run(clean);
    const cleanEvents = await eventsOf(clean.map(planIdOf));

    // The same histories under other ids, imported by an importer that dies in the middle of the second plan
    // (after two of its commits, in its third) with the first and third plans in flight beside it.
    const { copy, back } = underNewIds(clean);
    const crash = new Error('the importer was killed');
    await expect(
      run(copy, {
        stepsPerCommit: 5,
        beforeStep: (line, step) => {
          if (line === 2 && step === 13) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const [halfway] = await api.dataSource.query<{ steps_done: number; steps_total: number }[]>(`SELECT steps_done, steps_total FROM ${CHECKPOINT_TABLE} WHERE plan_id = $1`, [
      planIdOf(copy[1]),
    ]);
    expect(halfway.steps_done).toBe(10);
    expect(halfway.steps_total).toBeGreaterThan(10);

    // Resumed with whole histories per commit: the batch skips what is complete, hands the plans cut off to their
    // own path (continued at their checkpoints) and imports the rest together.
    const resumed = await run(copy);
    expect(resumed.failed).toBe(0);
    expect(resumed.resumed).toBeGreaterThanOrEqual(1);
    expect(resumed.imported + resumed.skipped).toBe(4);

    const copied = await eventsOf(copy.map(planIdOf));
    for (const [index, line] of copy.entries()) {
      expect(historyOf(copied, planIdOf(line), back)).toEqual(historyOf(cleanEvents, planIdOf(clean[index]), new Map()));
    }
    for (const line of copy) {
      const published = await api.settledFor(planIdOf(line));
      const [{ n }] = await api.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [planIdOf(line)]);
      expect(published).toHaveLength(n);
    }
  });
});

describe('several plans per commit', () => {
  test('a batch gives exactly the events of the same plans imported one at a time, and commits whole or not at all', async () => {
    const alone = sample(6, 404);
    expect(await run(alone, { plansPerCommit: 1 })).toMatchObject({ imported: 6, failed: 0 });
    const aloneEvents = await eventsOf(alone.map(planIdOf));

    const { copy, back } = underNewIds(alone);
    const crash = new Error('the importer was killed');
    // Batches of three, one at a time: the first commits, the second dies at its second plan's third step.
    await expect(
      run(copy, {
        concurrency: 1,
        plansPerCommit: 3,
        beforeStep: (line, step) => {
          if (line === 5 && step === 3) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const checkpoints = await api.dataSource.query<{ plan_id: string }[]>(`SELECT plan_id FROM ${CHECKPOINT_TABLE} WHERE plan_id = ANY($1)`, [copy.map(planIdOf)]);
    expect(checkpoints.map((row) => row.plan_id).sort()).toEqual(copy.slice(0, 3).map(planIdOf).sort());
    expect(await eventsOf(copy.slice(3).map(planIdOf))).toEqual([]);

    const resumed = await run(copy, { concurrency: 1, plansPerCommit: 3 });
    expect(resumed).toMatchObject({ imported: 3, skipped: 3, resumed: 0, failed: 0 });
    const copied = await eventsOf(copy.map(planIdOf));
    for (const [index, line] of copy.entries()) expect(historyOf(copied, planIdOf(line), back)).toEqual(historyOf(aloneEvents, planIdOf(alone[index]), new Map()));
    expect(resumed.events + (await eventsOf(copy.slice(0, 3).map(planIdOf))).length).toBe(copied.length);
  });

  test('one plan id twice in a batch: the first line is imported, the second refused as a changed line', async () => {
    const [line, other] = sample(2, 505);
    const edited = JSON.parse(line) as { presentingProblem: string };
    edited.presentingProblem = `${edited.presentingProblem} (edited)`;
    const summary = await run([line, other, JSON.stringify(edited)], { plansPerCommit: 3 });
    expect(summary).toMatchObject({ imported: 2, failed: 1 });
    expect(summary.failures[0]).toMatchObject({ line: 3, planId: planIdOf(line), code: 'import_line_changed' });
  });

  test('a plan whose stream exists without a checkpoint (opened through the API) is refused at its first step, the rest of the batch imported', async () => {
    const lines = sample(3, 606);
    await run(lines.slice(0, 1));
    await api.dataSource.query(`DELETE FROM ${CHECKPOINT_TABLE} WHERE plan_id = $1`, [planIdOf(lines[0])]);
    const summary = await run(lines, { plansPerCommit: 3 });
    expect(summary).toMatchObject({ imported: 2, failed: 1 });
    expect(summary.failures[0]).toMatchObject({ line: 1, code: 'plan_already_opened', step: { number: 1, command: 'OpenPlan' } });
  });
});
