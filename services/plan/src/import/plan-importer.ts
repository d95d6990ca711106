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
import { parseHistoryLine } from './plan-history.line';
import { stepsOf, type ImportStep, type ImportUseCase } from './plan-history.steps';

/**
 * Where each plan's import stands: the steps of its line already committed, in the same transaction as their
 * events. In the plan's own schema, made by the service's migrations (import-checkpoints.migration.ts).
 */
export const CHECKPOINT_TABLE = 'plan_import_checkpoints';


const saveCheckpointSql = `INSERT INTO ${CHECKPOINT_TABLE} (plan_id, line_sha256, steps_done, steps_total, events)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (plan_id) DO UPDATE SET steps_done = EXCLUDED.steps_done, events = ${CHECKPOINT_TABLE}.events + EXCLUDED.events, updated_at = now()`;

type UseCaseClass = new (target: CommandTargetOf, command: PlanUseCaseCommand<PlanCommandType>, manager?: EntityManager) => PlanUseCase<PlanCommandType>;

const USE_CASES = { OpenPlan, ChangeDraft, ProposeRevision, SignRevision, RecordAssessment, ReportLifeEvent, MarkMet, ClosePlan } as unknown as Record<
  ImportUseCase,
  UseCaseClass
>;

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
  /** Plans imported at once, each in its own transactions (default 8). */
  readonly concurrency?: number;
  /** Steps of one plan per transaction (default 500): a longer history commits in parts, each with its checkpoint. */
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

type PlanOutcome = { kind: 'imported' | 'resumed' | 'skipped'; events: number } | { kind: 'failed'; events: number; failure: LineFailure };

/** Where a step was refused by the plan's rules (a DomainError): that plan fails, the file goes on. */
class StepRefused extends Error {
  constructor(readonly failure: LineFailure) {
    super(failure.reason);
  }
}

/** An import has no HTTP request: the handlers read the stream id, the metadata and the expected version only. */
const importTarget = (planId: string, userId: string, correlationId: string): CommandTargetOf => ({
  streamId: planId,
  metadata: { now: new Date().toISOString(), userId, correlationId },
  principal: { userId, roles: ['clinician'], supervises: [], expiresAt: new Date(Date.now() + 3_600_000) },
  response: undefined as unknown as Response,
});

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
    const concurrency = Math.max(1, options.concurrency ?? 8);
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

    let number = 0;
    for await (const text of lines) {
      number += 1;
      if (fatal) break;
      if (text.trim() === '') continue;
      counts.lines += 1;
      const line = number;
      const run = this.importLine(text, line, options).then(settle, (error: unknown) => {
        fatal ??= { error };
      });
      const tracked = run.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (fatal) throw fatal.error;
    const seconds = (performance.now() - started) / 1000;
    return { ...counts, seconds, eventsPerSecond: seconds > 0 ? counts.events / seconds : 0, failures };
  }

  private async importLine(text: string, line: number, options: ImportOptions): Promise<PlanOutcome> {
    const parsed = parseHistoryLine(text);
    if (!parsed.ok) {
      const first = parsed.problems[0];
      const reason = `${first.field} ${first.reason}${parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : ''}`;
      return { kind: 'failed', events: 0, failure: { line, planId: parsed.planId, code: 'line_invalid', reason, problems: parsed.problems } };
    }
    const { history } = parsed;
    const steps = stepsOf(history);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const correlationId = randomUUID();
    const perCommit = Math.max(1, options.stepsPerCommit ?? 500);
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
          const [row] = await manager.query<{ line_sha256: string; steps_done: number }[]>(
            `SELECT line_sha256, steps_done FROM ${CHECKPOINT_TABLE} WHERE plan_id = $1`,
            [history.planId],
          );
          if (row !== undefined && row.line_sha256 !== sha256) {
            throw new StepRefused({
              line,
              planId: history.planId,
              code: 'import_line_changed',
              reason: `plan ${history.planId} was imported from a different line; an import never merges two histories of one plan`,
              problems: [],
            });
          }
          const startedAt = row?.steps_done ?? 0;
          const end = Math.min(steps.length, startedAt + perCommit);
          let written = 0;
          for (let index = startedAt; index < end; index += 1) options.beforeStep?.(line, index + 1);
          if (oneByOne) {
            for (let index = startedAt; index < end; index += 1) {
              written += await this.runStep(steps[index], index, history.planId, history.clinicianId, correlationId, manager, line);
            }
          } else if (end > startedAt) {
            written = await this.runSteps(steps.slice(startedAt, end), history.planId, history.clinicianId, correlationId, manager);
          }
          if (end > startedAt) await manager.query(saveCheckpointSql, [history.planId, sha256, end, steps.length, written]);
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
  private async runSteps(steps: readonly ImportStep[], planId: string, userId: string, correlationId: string, manager: EntityManager): Promise<number> {
    const { streamId, metadata } = importTarget(planId, userId, correlationId);
    const commands = steps.map(({ command }) => ({ command: planCommandOf(command, { now: metadata.now, userId: metadata.userId }), metadata }));
    const { results } = await this.runner.runEach(this.stream, { streamIds: [streamId], manager, commandsFor: () => Promise.resolve([commands]) });
    return results[0].events.length;
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
