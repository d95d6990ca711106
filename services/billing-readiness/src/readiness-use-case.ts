import { randomUUID } from 'node:crypto';
import { CommandRunner, type RunResult } from '@golden-loop/command-runner';
import type { CommandMetadata } from '@golden-loop/decider';
import { keyLock } from '@golden-loop/messaging';
import { Timers } from '@golden-loop/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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

/**
 * The one body of every readiness command handler (HTTP, Kafka and timers alike), in one transaction: take the plan's
 * key lock, read the credentials the plan's clinicians hold, run the command through the shared runner (events and
 * their outbox rows), then write the plan's worklist row and re-arm its timers — the next re-check at the next rule
 * boundary, the payer's decision deadline — so a check and the timer it sets commit together.
 */
@Injectable()
export class ReadinessUseCaseHandler<C extends ReadinessUseCaseShape> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: CommandRunner,
    @Inject(READINESS_STREAM) private readonly stream: ReadinessStream,
    private readonly catalog: RuleSetCatalog,
    private readonly credentials: ClinicianCredentialsStore,
    private readonly readModel: PlanReadinessReadModel,
    @Inject(Timers) private readonly timers: Timers,
  ) {}

  execute(useCase: C): Promise<ReadinessRunResult> {
    return useCase.manager ? this.inTransaction(useCase, useCase.manager) : this.dataSource.transaction((manager) => this.inTransaction(useCase, manager));
  }

  private async inTransaction({ planId, command, metadata }: C, manager: EntityManager): Promise<ReadinessRunResult> {
    await manager.query(keyLock.sql, [planId]);
    const loaded = await this.runner.load(this.stream, planId, { manager });
    const credentials = await this.credentials.lookup(manager, [...cliniciansOf(loaded.state), ...cliniciansIn(command)]);
    const catalog = this.catalog;
    const full = {
      ...command,
      metadata: { now: metadata.now, ...(metadata.userId === undefined ? {} : { userId: metadata.userId }) },
      check: { checkId: randomUUID(), ruleSetOf: (payerId: string) => catalog.ruleSetOf(payerId), credentialsOf: (id: string) => credentials.get(id) },
    } as ReadinessCommand;
    const result = await this.runner.run(this.stream, { streamId: planId, command: full, metadata, manager });
    if (result.events.length > 0) {
      await this.readModel.apply(manager, planId, result.state, result.version);
      await this.armTimers(manager, planId, result);
    }
    return result;
  }

  private async armTimers(manager: EntityManager, planId: string, result: ReadinessRunResult): Promise<void> {
    for (const { event } of result.events) {
      if (event.type === 'ReadinessChecked') {
        const timerId = TIMERS.recheck.idOf(planId);
        if (event.data.nextCheckAt === null) await this.timers.cancel(manager, [timerId]);
        else await this.timers.schedule(manager, [{ timerId, kind: TIMERS.recheck.kind, streamId: planId, dueAt: new Date(event.data.nextCheckAt), payload: { cause: 'scheduled' } }]);
      }
      if (event.type === 'ReauthorizationRequested') {
        const { requestId, decisionDueAt } = event.data;
        await this.timers.schedule(manager, [{ timerId: TIMERS.decisionDue.idOf(requestId), kind: TIMERS.decisionDue.kind, streamId: planId, dueAt: new Date(decisionDueAt), payload: { requestId } }]);
      }
      if (event.type === 'ReauthorizationDecided') await this.timers.cancel(manager, [TIMERS.decisionDue.idOf(event.data.requestId)]);
    }
  }
}
