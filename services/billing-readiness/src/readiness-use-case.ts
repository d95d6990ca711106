import { randomUUID } from 'node:crypto';
import type { ClinicianCredential } from '@golden-loop/contracts';
import { CommandRunner, type RunResult } from '@golden-loop/command-runner';
import type { CommandMetadata } from '@golden-loop/decider';
import { Timers, type Timer } from '@golden-loop/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReadinessCommand, ReadinessCommandType } from './domain/commands';
import type { ReadinessEvent } from './domain/events';
import { cliniciansOf, type PlanReadiness } from './domain/state';
import { ClinicianCredentialsStore } from './features/clinician-credentials/clinician-credentials.store';
import { PlanReadinessReadModel } from './read-models/plan-readiness.read-model';
import { READINESS_STREAM, TIMERS, type ReadinessStream } from './readiness-stream';
import { RuleSetCatalog } from './rule-sets/rule-set-catalog';

export type ReadinessRunResult = RunResult<PlanReadiness, ReadinessEvent>;

/** A domain command as a use case states it: its type and data; the handler adds the metadata and the check policy. */
export type ReadinessCommandInput<T extends ReadinessCommandType> = T extends ReadinessCommandType
  ? Pick<Extract<ReadinessCommand, { type: T }>, 'type' | 'data'>
  : never;

/**
 * Every readiness use case: the plan (stream id), the command, who and what caused it, and the transaction to
 * join (a consumer's inbox transaction, a timer's) when there is one.
 */
export abstract class ReadinessUseCase<T extends ReadinessCommandType> {
  constructor(
    readonly planId: string,
    readonly command: ReadinessCommandInput<T>,
    readonly metadata: CommandMetadata,
    readonly manager?: EntityManager,
  ) {}
}

interface ReadinessUseCaseShape {
  readonly planId: string;
  readonly command: ReadinessCommandInput<ReadinessCommandType>;
  readonly metadata: CommandMetadata;
  readonly manager?: EntityManager;
}

/** Signers a command brings that the stream does not know yet: their credentials are read with the others. */
const cliniciansIn = (command: ReadinessCommandInput<ReadinessCommandType>): string[] => {
  if (command.type !== 'NoteEvent') return [];
  const { event } = command.data;
  if (event.name === 'PlanSigned' && event.payload.signerRole === 'clinician') return [event.payload.signerId];
  if (event.name === 'PlanOpened') return [event.payload.clinicianId];
  return [];
};

type Credentials = ReadonlyMap<string, readonly ClinicianCredential[]>;

/**
 * The one body of every readiness command handler (HTTP, Kafka and timers alike), in one transaction — the caller's
 * (a consumer's inbox transaction, a timer's) or the runner's own: the runner takes the plan's key lock and reads the
 * stream once (its cached fold and the tail); from that state the handler reads the credentials of the plan's
 * clinicians and builds the command (`commandFor`); after the events and their outbox rows, it writes the plan's
 * worklist row and re-arms its timers — the next re-check at the next rule boundary, the payer's decision deadline —
 * so a check and the timer it sets commit together (`beforeCommit`). `executeEach` does the same for many plans in
 * one transaction, a statement per step for all of them (docs/payer-rules.md, "Many checks at once").
 */
@Injectable()
export class ReadinessUseCaseHandler<C extends ReadinessUseCaseShape> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READINESS_STREAM) private readonly stream: ReadinessStream,
    private readonly catalog: RuleSetCatalog,
    private readonly credentials: ClinicianCredentialsStore,
    private readonly readModel: PlanReadinessReadModel,
    @Inject(Timers) private readonly timers: Timers,
  ) {}

  execute({ planId, command, metadata, manager }: C): Promise<ReadinessRunResult> {
    return this.runner.run(this.stream, {
      streamId: planId,
      metadata,
      ...(manager === undefined ? {} : { manager }),
      commandFor: async ({ state }, within) =>
        this.commandOf(command, metadata, await this.credentials.lookup(within, [...cliniciansOf(state), ...cliniciansIn(command)])),
      beforeCommit: async (result, within) => {
        if (result.events.length === 0) return;
        await this.readModel.apply(within, planId, result.state, result.version);
        await this.armTimers(within, [result]);
      },
    });
  }

  /**
   * Many commands in the caller's transaction (a consumed chunk of messages, a batch of due re-check timers): the
   * plans' key locks in plan id order, one read of every stream's tail, one credentials read, the appends, one
   * outbox insert, one worklist upsert and one timer re-arm for all. A plan's commands are decided in the order
   * given, each on the state the previous left (a check after each). `lock: 'skip'` leaves out, in `skipped`, a plan
   * whose key lock another transaction holds (the timer worker: it holds rows that writer may wait for).
   */
  async executeEach(
    useCases: readonly C[],
    manager: EntityManager,
    lock: 'wait' | 'skip',
  ): Promise<{ results: readonly ReadinessRunResult[]; skipped: readonly string[] }> {
    const byPlan = new Map<string, C[]>();
    for (const useCase of useCases) {
      const plan = byPlan.get(useCase.planId);
      if (plan === undefined) byPlan.set(useCase.planId, [useCase]);
      else plan.push(useCase);
    }
    return this.runner.runEach(this.stream, {
      streamIds: [...byPlan.keys()],
      manager,
      lock,
      commandsFor: async (loaded, within) => {
        const clinicians = loaded.flatMap(({ streamId, state }) => [...cliniciansOf(state), ...byPlan.get(streamId)!.flatMap(({ command }) => cliniciansIn(command))]);
        const credentials = await this.credentials.lookup(within, clinicians);
        return loaded.map(({ streamId }) =>
          byPlan.get(streamId)!.map(({ command, metadata }) => ({ command: this.commandOf(command, metadata, credentials), metadata })),
        );
      },
      beforeCommit: async (results, within) => {
        const changed = results.filter((result) => result.events.length > 0);
        await this.readModel.applyEach(
          within,
          changed.map((result) => ({ planId: result.streamId, state: result.state, version: result.version })),
        );
        await this.armTimers(within, changed);
      },
    });
  }

  private commandOf(command: ReadinessCommandInput<ReadinessCommandType>, metadata: CommandMetadata, credentials: Credentials): ReadinessCommand {
    const catalog = this.catalog;
    return {
      ...command,
      metadata: { now: metadata.now, ...(metadata.userId === undefined ? {} : { userId: metadata.userId }) },
      check: { checkId: randomUUID(), ruleSetOf: (payerId: string) => catalog.ruleSetOf(payerId), credentialsOf: (id: string) => credentials.get(id) },
    };
  }

  /** The timers the new events set or end, for every plan given, in at most one cancel and one upsert. */
  private async armTimers(manager: EntityManager, results: readonly ReadinessRunResult[]): Promise<void> {
    // Each timer as the last event about it left it: armed (the timer) or ended (null).
    const timers = new Map<string, Timer | null>();
    for (const { streamId: planId, events } of results) {
      for (const { event } of events) {
        if (event.type === 'ReadinessChecked') {
          const timerId = TIMERS.recheck.idOf(planId);
          const { nextCheckAt } = event.data;
          timers.set(timerId, nextCheckAt === null ? null : { timerId, kind: TIMERS.recheck.kind, streamId: planId, dueAt: new Date(nextCheckAt), payload: { cause: 'scheduled' } });
        }
        if (event.type === 'ReauthorizationRequested') {
          const { requestId, decisionDueAt } = event.data;
          const timerId = TIMERS.decisionDue.idOf(requestId);
          timers.set(timerId, { timerId, kind: TIMERS.decisionDue.kind, streamId: planId, dueAt: new Date(decisionDueAt), payload: { requestId } });
        }
        if (event.type === 'ReauthorizationDecided') timers.set(TIMERS.decisionDue.idOf(event.data.requestId), null);
      }
    }
    await this.timers.cancel(manager, [...timers].filter(([, timer]) => timer === null).map(([timerId]) => timerId));
    await this.timers.schedule(manager, [...timers.values()].filter((timer): timer is Timer => timer !== null));
  }
}
