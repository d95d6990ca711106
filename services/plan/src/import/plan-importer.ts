import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CommandRunner } from '@golden-loop/command-runner';
import { isDomainError, type FieldProblem } from '@golden-loop/decider';
import type { CommandTargetOf } from '@golden-loop/http-api';
import { keyLock } from '@golden-loop/messaging';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import type { PlanCommandType } from '../domain/commands';
import { ChangeDraft } from '../features/change-draft/change-draft.command';
import { ClosePlan } from '../features/close-plan/close-plan.command';
import { MarkMet } from '../features/mark-met/mark-met.command';
import { OpenPlan } from '../features/open-plan/open-plan.command';
import { ProposeRevision } from '../features/propose-revision/propose-revision.command';
import { RecordAssessment } from '../features/record-assessment/record-assessment.command';
import { ReportLifeEvent } from '../features/report-life-event/report-life-event.command';
import { SignRevision } from '../features/sign-revision/sign-revision.command';
import { PLAN_STREAM, planCommandOf, type PlanRunResult, type PlanStream, type PlanUseCase, type PlanUseCaseCommand } from '../plan-stream';
import type { ImportedPlanHistory } from './plan-history.dto';
import { parseHistoryLine } from './plan-history.line';
import { stepsOf, type ImportStep, type ImportUseCase } from './plan-history.steps';

/**
 * Where each plan's import stands: the steps of its line already committed, in the same transaction as their
 * events. In the plan's own schema, made by the service's migrations (import-checkpoints.migration.ts).
 */
export const CHECKPOINT_TABLE = 'plan_import_checkpoints';


// One statement for the checkpoints of one plan or of a batch of them (arrays of the same length).
const saveCheckpointsSql = `INSERT INTO ${CHECKPOINT_TABLE} (plan_id, line_sha256, steps_done, steps_total, events)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[])
  ON CONFLICT (plan_id) DO UPDATE SET steps_done = EXCLUDED.steps_done, events = ${CHECKPOINT_TABLE}.events + EXCLUDED.events, updated_at = now()`;

interface CheckpointRow {
  readonly planId: string;
  readonly sha256: string;
  readonly stepsDone: number;
  readonly stepsTotal: number;
  readonly events: number;
}

const saveCheckpoints = (manager: EntityManager, rows: readonly CheckpointRow[]): Promise<unknown> =>
  manager.query(saveCheckpointsSql, [
    rows.map((row) => row.planId),
    rows.map((row) => row.sha256),
    rows.map((row) => row.stepsDone),
    rows.map((row) => row.stepsTotal),
    rows.map((row) => row.events),
  ]);

interface StoredCheckpoint {
  readonly line_sha256: string;
  readonly steps_done: number;
}

/** The checkpoints of one plan or of a batch of them, by plan id (read under the plans' key locks). */
const readCheckpoints = async (manager: EntityManager, planIds: readonly string[]): Promise<Map<string, StoredCheckpoint>> => {
  const rows = await manager.query<(StoredCheckpoint & { plan_id: string })[]>(
    `SELECT plan_id, line_sha256, steps_done FROM ${CHECKPOINT_TABLE} WHERE plan_id = ANY($1::uuid[])`,
    [planIds],
  );
  return new Map(rows.map((row) => [row.plan_id, row]));
};

type UseCaseClass = new (target: CommandTargetOf, command: PlanUseCaseCommand<PlanCommandType>, manager?: EntityManager) => PlanUseCase<PlanCommandType>;

const USE_CASES = { OpenPlan, ChangeDraft, ProposeRevision, SignRevision, RecordAssessment, ReportLifeEvent, MarkMet, ClosePlan } as unknown as Record<
  ImportUseCase,
  UseCaseClass
>;

/** What an import runs with unless told otherwise (the CLI's and the bench's options). */
export const IMPORT_DEFAULTS = { concurrency: 4, plansPerCommit: 25, stepsPerCommit: 500 } as const;

export interface LineFailure {
  readonly line: number;
  readonly planId: string | null;
  /** The step that was refused (1-based) and its command, when the line itself was valid. */
  readonly step?: { readonly number: number; readonly command: string };
  readonly code: string;
  readonly reason: string;
  readonly problems: readonly FieldProblem[];
}

export interface ImportProgress {
  readonly lines: number;
  readonly events: number;
}

export interface ImportOptions {
  /** Transactions at once (default 4): batches of plans, or one plan's commits. */
  readonly concurrency?: number;
  /** Plans per transaction (default 25): the lines read together commit together when each fits one commit. */
  readonly plansPerCommit?: number;
  /** Steps of one plan per transaction (default 500): a longer history commits alone, in parts, each with its checkpoint. */
  readonly stepsPerCommit?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly onFailure?: (failure: LineFailure) => void;
  /** Called before each step, inside its transaction: a throw stops the import there, as a crash would (tests). */
  readonly beforeStep?: (line: number, step: number) => void;
}

export interface ImportSummary {
  readonly lines: number;
  /** Plans whose history this run completed (`resumed` of them had been partly imported before). */
  readonly imported: number;
  readonly resumed: number;
  /** Plans whose whole history was already there. */
  readonly skipped: number;
  readonly failed: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly failures: readonly LineFailure[];
}

/** A valid line, ready to run: its history, the steps in order, and what its checkpoint and events carry. */
interface PreparedPlan {
  readonly line: number;
  readonly history: ImportedPlanHistory;
  readonly steps: readonly ImportStep[];
  readonly sha256: string;
  /** One correlation id per plan and run. */
  readonly correlationId: string;
}

type PlanOutcome = { kind: 'imported' | 'resumed' | 'skipped'; events: number } | { kind: 'failed'; events: number; failure: LineFailure };

/** Where a step was refused by the plan's rules (a DomainError): that plan fails, the file goes on. */
class StepRefused extends Error {
  constructor(readonly failure: LineFailure) {
    super(failure.reason);
  }
}

const lineChanged = (plan: PreparedPlan): StepRefused =>
  new StepRefused({
    line: plan.line,
    planId: plan.history.planId,
    code: 'import_line_changed',
    reason: `plan ${plan.history.planId} was imported from a different line; an import never merges two histories of one plan`,
    problems: [],
  });

/** An import has no HTTP request: the handlers read the stream id, the metadata and the expected version only. */
const importTarget = (planId: string, userId: string, correlationId: string): CommandTargetOf => ({
  streamId: planId,
  metadata: { now: new Date().toISOString(), userId, correlationId },
  principal: { userId, roles: ['clinician'], supervises: [], expiresAt: new Date(Date.now() + 3_600_000) },
  response: undefined as unknown as Response,
});

/** A line parsed and checked (docs/import.md, "What is checked, and where", 1-4): a plan ready to run, or its failure. */
const prepareLine = (text: string, line: number): PreparedPlan | PlanOutcome => {
  const parsed = parseHistoryLine(text);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    const reason = `${first.field} ${first.reason}${parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : ''}`;
    return { kind: 'failed', events: 0, failure: { line, planId: parsed.planId, code: 'line_invalid', reason, problems: parsed.problems } };
  }
  const { history } = parsed;
  return { line, history, steps: stepsOf(history), sha256: createHash('sha256').update(text).digest('hex'), correlationId: randomUUID() };
};

export const countLines = async (path: string): Promise<number> => {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines += 1;
    last = chunk.length > 0 ? chunk[chunk.length - 1] : last;
  }
  return last === 10 ? lines : lines + 1;
};

/**
 * Imports plan histories (docs/import.md) through the plan service's own command handlers on its CommandBus, so
 * every rule and every event applies and the events reach Kafka through the outbox. Each plan's steps commit with
 * its checkpoint row; a re-run skips what is there and a plan cut off mid-history continues at its checkpoint.
 */
export class PlanImporter {

  constructor(
    private readonly commands: CommandBus,
    private readonly dataSource: DataSource,
    private readonly runner: CommandRunner,
    private readonly stream: PlanStream,
  ) {}

  static of(app: INestApplicationContext): PlanImporter {
    return new PlanImporter(app.get(CommandBus), app.get<DataSource>(getDataSourceToken()), app.get(CommandRunner), app.get<PlanStream>(PLAN_STREAM));
  }

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportSummary> {
    return this.importLines(createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity }), options);
  }

  async importLines(lines: AsyncIterable<string>, options: ImportOptions = {}): Promise<ImportSummary> {
    const started = performance.now();
    const concurrency = Math.max(1, options.concurrency ?? IMPORT_DEFAULTS.concurrency);
    const counts = { lines: 0, imported: 0, resumed: 0, skipped: 0, failed: 0, events: 0 };
    const failures: LineFailure[] = [];
    const inFlight = new Set<Promise<void>>();
    let fatal: { error: unknown } | undefined;

    const settle = (outcome: PlanOutcome) => {
      counts.events += outcome.events;
      if (outcome.kind === 'failed') {
        counts.failed += 1;
        failures.push(outcome.failure);
        options.onFailure?.(outcome.failure);
      } else if (outcome.kind === 'skipped') counts.skipped += 1;
      else {
        counts.imported += 1;
        if (outcome.kind === 'resumed') counts.resumed += 1;
      }
      options.onProgress?.({ lines: counts.lines, events: counts.events });
    };

    // Lines are read in batches of `plansPerCommit`; each batch is one task, `concurrency` of them at once.
    const plansPerCommit = Math.max(1, options.plansPerCommit ?? IMPORT_DEFAULTS.plansPerCommit);
    const settings = { ...options, stepsPerCommit: Math.max(1, options.stepsPerCommit ?? IMPORT_DEFAULTS.stepsPerCommit) };
    let batch: { text: string; line: number }[] = [];
    const start = async () => {
      const run = this.importBatch(batch, settings).then(
        (outcomes) => outcomes.forEach(settle),
        (error: unknown) => {
          fatal ??= { error };
        },
      );
      batch = [];
      const tracked = run.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    };
    let number = 0;
    for await (const text of lines) {
      number += 1;
      if (fatal) break;
      if (text.trim() === '') continue;
      counts.lines += 1;
      batch.push({ text, line: number });
      if (batch.length >= plansPerCommit) await start();
    }
    if (batch.length > 0 && !fatal) await start();
    await Promise.all(inFlight);
    if (fatal) throw fatal.error;
    const seconds = (performance.now() - started) / 1000;
    return { ...counts, seconds, eventsPerSecond: seconds > 0 ? counts.events / seconds : 0, failures };
  }

  /**
   * Lines read together (docs/import.md, "Several plans per commit"): the valid ones whose history fits one commit
   * go in as one transaction, one run of the runner over all their streams (`runEach`), with their checkpoints.
   * The others, a plan partly imported before, and every plan of a batch whose run a plan's rules refused (rolled
   * back whole), go in one plan at a time (`importPlan`), which names the refused step.
   */
  private async importBatch(pending: readonly { text: string; line: number }[], options: ImportOptions & { stepsPerCommit: number }): Promise<PlanOutcome[]> {
    const outcomes: PlanOutcome[] = [];
    const together = new Map<string, PreparedPlan>();
    let alone: PreparedPlan[] = [];
    for (const { text, line } of pending) {
      const prepared = prepareLine(text, line);
      if ('kind' in prepared) outcomes.push(prepared);
      // A plan id a second time in one batch (an edited file): after the first, alone, so the first decides.
      else if (prepared.steps.length > options.stepsPerCommit || together.has(prepared.history.planId)) alone.push(prepared);
      else together.set(prepared.history.planId, prepared);
    }
    if (together.size > 1) {
      try {
        const { done, later } = await this.dataSource.transaction((manager) => this.runTogether([...together.values()], manager, options));
        outcomes.push(...done);
        alone.push(...later);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        alone.push(...together.values());
      }
    } else alone.push(...together.values());
    alone = alone.sort((a, b) => a.line - b.line);
    for (const plan of alone) outcomes.push(await this.importPlan(plan, options));
    return outcomes;
  }

  /**
   * The batch's transaction: the plans' key locks, streams and checkpoints read once, every plan's whole history
   * decided step by step on its own stream, one append and one outbox insert for all of them, and their checkpoints in
   * one statement. A plan already complete is skipped, one from another line refused, one partly imported left to
   * `importPlan` (`later`); one opened through the API is refused by OpenPlan, which rolls the batch back.
   */
  private async runTogether(plans: readonly PreparedPlan[], manager: EntityManager, options: ImportOptions): Promise<{ done: PlanOutcome[]; later: PreparedPlan[] }> {
    const byId = new Map(plans.map((plan) => [plan.history.planId, plan]));
    const done: PlanOutcome[] = [];
    const later: PreparedPlan[] = [];
    const fresh = new Set<string>();
    await this.runner.runEach(this.stream, {
      streamIds: [...byId.keys()],
      manager,
      commandsFor: async (loaded) => {
        const checkpoints = await readCheckpoints(manager, loaded.map(({ streamId }) => streamId));
        return loaded.map(({ streamId }) => {
          const plan = byId.get(streamId)!;
          const checkpoint = checkpoints.get(streamId);
          if (checkpoint !== undefined && checkpoint.line_sha256 !== plan.sha256) done.push({ kind: 'failed', events: 0, failure: lineChanged(plan).failure });
          else if (checkpoint !== undefined && checkpoint.steps_done >= plan.steps.length) done.push({ kind: 'skipped', events: 0 });
          else if (checkpoint !== undefined) later.push(plan);
          else {
            fresh.add(streamId);
            plan.steps.forEach((_, index) => options.beforeStep?.(plan.line, index + 1));
            return this.commandsOf(plan, plan.steps);
          }
          return [];
        });
      },
      beforeCommit: async (results) => {
        const imported = results.filter(({ streamId }) => fresh.has(streamId));
        if (imported.length === 0) return;
        await saveCheckpoints(
          manager,
          imported.map(({ streamId, events }) => {
            const plan = byId.get(streamId)!;
            return { planId: streamId, sha256: plan.sha256, stepsDone: plan.steps.length, stepsTotal: plan.steps.length, events: events.length };
          }),
        );
        for (const { events } of imported) done.push({ kind: 'imported', events: events.length });
      },
    });
    return { done, later };
  }

  /** One plan alone: its steps in commits of at most `stepsPerCommit`, each with its checkpoint, resumed where it stands. */
  private async importPlan(plan: PreparedPlan, options: ImportOptions & { stepsPerCommit: number }): Promise<PlanOutcome> {
    const { history, steps, sha256, correlationId, line } = plan;
    let events = 0;
    let first = true;
    let resumed = false;
    // A chunk goes in as one run of the runner; a refusal rolls it back and the chunk is replayed one use case at a
    // time, which names the step refused (as a consumer's chunk falls back to one message at a time).
    let oneByOne = false;
    for (;;) {
      let chunk: { done: number; events: number; startedAt: number };
      try {
        chunk = await this.dataSource.transaction(async (manager) => {
          // The plan's key lock (the one every command and consumer of the plan takes): two importers on one file never
          // run one plan's steps twice, the second waits, then reads the first one's checkpoint.
          await manager.query(keyLock.sql, [history.planId]);
          const row = (await readCheckpoints(manager, [history.planId])).get(history.planId);
          if (row !== undefined && row.line_sha256 !== sha256) throw lineChanged(plan);
          const startedAt = row?.steps_done ?? 0;
          const end = Math.min(steps.length, startedAt + options.stepsPerCommit);
          let written = 0;
          for (let index = startedAt; index < end; index += 1) options.beforeStep?.(line, index + 1);
          if (oneByOne) {
            for (let index = startedAt; index < end; index += 1) {
              written += await this.runStep(steps[index], index, history.planId, history.clinicianId, correlationId, manager, line);
            }
          } else if (end > startedAt) {
            written = await this.runSteps(plan, steps.slice(startedAt, end), manager);
          }
          if (end > startedAt) await saveCheckpoints(manager, [{ planId: history.planId, sha256, stepsDone: end, stepsTotal: steps.length, events: written }]);
          return { done: end, events: written, startedAt };
        });
      } catch (error) {
        if (error instanceof StepRefused) return { kind: 'failed', events, failure: error.failure };
        if (!oneByOne && isDomainError(error)) {
          oneByOne = true;
          continue;
        }
        throw error;
      }
      events += chunk.events;
      if (first && chunk.startedAt >= steps.length) return { kind: 'skipped', events: 0 };
      if (first && chunk.startedAt > 0) resumed = true;
      first = false;
      if (chunk.done >= steps.length) return { kind: resumed ? 'resumed' : 'imported', events };
    }
  }

  /**
   * Steps of one plan as one run of the runner in the chunk's transaction (`runEach` on the one stream): the use
   * cases' own domain commands with the metadata their handler (PlanUseCaseHandler) gives them, parsed as it parses
   * them (planCommandOf; a refusal rolls the chunk back and it is replayed one step at a time), each decided on the
   * state the previous left, with one key lock, one read, one append and one outbox insert for all of them.
   */
  private async runSteps(plan: PreparedPlan, steps: readonly ImportStep[], manager: EntityManager): Promise<number> {
    const { results } = await this.runner.runEach(this.stream, {
      streamIds: [plan.history.planId],
      manager,
      commandsFor: () => Promise.resolve([this.commandsOf(plan, steps)]),
    });
    return results[0].events.length;
  }

  /** The use cases' own domain commands with the metadata their handler (PlanUseCaseHandler) gives them, parsed as it parses them. */
  private commandsOf(plan: PreparedPlan, steps: readonly ImportStep[]) {
    const { metadata } = importTarget(plan.history.planId, plan.history.clinicianId, plan.correlationId);
    return steps.map(({ command }) => ({ command: planCommandOf(command, { now: metadata.now, userId: metadata.userId }), metadata }));
  }

  private async runStep(step: ImportStep, index: number, planId: string, userId: string, correlationId: string, manager: EntityManager, line: number): Promise<number> {
    const UseCase = USE_CASES[step.useCase];
    try {
      const result = await this.commands.execute<PlanUseCase<PlanCommandType>, PlanRunResult>(new UseCase(importTarget(planId, userId, correlationId), step.command, manager));
      return result.events.length;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw new StepRefused({
        line,
        planId,
        step: { number: index + 1, command: step.command.type },
        code: error.code,
        reason: error.message,
        problems: error.problems,
      });
    }
  }
}
