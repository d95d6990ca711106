/**
 * The stored check as it was before the runner's `commandFor`/`beforeCommit` and batches (commit d33c018's
 * `ReadinessUseCaseHandler`), kept for the bench alone so that before and after are measured side by side in one run:
 * its own key lock, a load of the stream for the clinicians whose credentials to read, then the runner's key lock
 * and read of the stream again, the append, the worklist row and the timer, in one transaction per plan.
 */
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@golden-loop/command-runner';
import type { CommandMetadata } from '@golden-loop/decider';
import { keyLock } from '@golden-loop/messaging';
import { Timers } from '@golden-loop/scheduling';
import type { INestApplication } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReadinessCommand } from '../src/domain/commands';
import { cliniciansOf } from '../src/domain/state';
import { ClinicianCredentialsStore } from '../src/features/clinician-credentials/clinician-credentials.store';
import { PlanReadinessReadModel } from '../src/read-models/plan-readiness.read-model';
import { READINESS_STREAM, TIMERS, type ReadinessStream } from '../src/readiness-stream';
import type { ReadinessRunResult } from '../src/readiness-use-case';
import { RuleSetCatalog } from '../src/rule-sets/rule-set-catalog';

type Cause = 'scheduled' | 'rule_set_changed' | 'credentials_changed';

export class LegacyCheck {
  private readonly dataSource: DataSource;
  private readonly runner: CommandRunner;
  private readonly stream: ReadinessStream;
  private readonly catalog: RuleSetCatalog;
  private readonly credentials: ClinicianCredentialsStore;
  private readonly readModel: PlanReadinessReadModel;
  private readonly timers: Timers;

  constructor(app: INestApplication) {
    this.dataSource = app.get(DataSource);
    this.runner = app.get(CommandRunner);
    this.stream = app.get<ReadinessStream>(READINESS_STREAM);
    this.catalog = app.get(RuleSetCatalog);
    this.credentials = app.get(ClinicianCredentialsStore);
    this.readModel = app.get(PlanReadinessReadModel);
    this.timers = app.get(Timers);
  }

  /** A Recheck of the plan, in the caller's transaction or its own. */
  recheck(planId: string, cause: Cause, metadata: CommandMetadata, manager?: EntityManager): Promise<ReadinessRunResult> {
    return manager ? this.inTransaction(planId, cause, metadata, manager) : this.dataSource.transaction((own) => this.inTransaction(planId, cause, metadata, own));
  }

  private async inTransaction(planId: string, cause: Cause, metadata: CommandMetadata, manager: EntityManager): Promise<ReadinessRunResult> {
    await manager.query(keyLock.sql, [planId]);
    const loaded = await this.runner.load(this.stream, planId, { manager });
    const credentials = await this.credentials.lookup(manager, cliniciansOf(loaded.state));
    const catalog = this.catalog;
    const command = {
      type: 'Recheck',
      data: { cause },
      metadata: { now: metadata.now },
      check: { checkId: randomUUID(), ruleSetOf: (payerId: string) => catalog.ruleSetOf(payerId), credentialsOf: (id: string) => credentials.get(id) },
    } as ReadinessCommand;
    const result = await this.runner.run(this.stream, { streamId: planId, command, metadata, manager });
    if (result.events.length > 0) {
      await this.readModel.apply(manager, planId, result.state, result.version);
      for (const { event } of result.events) {
        if (event.type !== 'ReadinessChecked') continue;
        const timerId = TIMERS.recheck.idOf(planId);
        if (event.data.nextCheckAt === null) await this.timers.cancel(manager, [timerId]);
        else await this.timers.schedule(manager, [{ timerId, kind: TIMERS.recheck.kind, streamId: planId, dueAt: new Date(event.data.nextCheckAt), payload: { cause: 'scheduled' } }]);
      }
    }
    return result;
  }
}
