import { randomUUID } from 'node:crypto';
import { TimerWorker, type DueTimer } from '@golden-loop/scheduling';
import { SERVICE_CONFIG } from '@golden-loop/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { BillingConfig } from '../../config';
import { TIMERS } from '../../readiness-stream';
import { FlagDecisionOverdueCommand, RecheckCommand, RecheckHandler } from './recheck.command';

const RECHECK_CAUSES = ['scheduled', 'rule_set_changed', 'credentials_changed'] as const;
type RecheckCause = (typeof RECHECK_CAUSES)[number];

const causeOf = (timer: DueTimer): RecheckCause => {
  const cause = timer.payload['cause'];
  return RECHECK_CAUSES.includes(cause as RecheckCause) ? (cause as RecheckCause) : 'scheduled';
};

/**
 * When time alone changes the answer: the plan's re-check timer (armed at the next rule boundary, or due now after a
 * rule-set or credentials change) and the payer's decision deadline. Each fires once, through the same handler as
 * every other input (docs/payer-rules.md, "Time"). Re-checks often fall due together (a rule-set change re-checks
 * every plan it covers): up to RECHECK_BATCH_SIZE of them fire in one transaction and one commit, each plan under its
 * own key lock; a plan whose key another transaction holds is deferred to the next poll (that writer is about to
 * check it anyway), never waited for ("Many checks at once").
 */
@Injectable()
export class RecheckTimers implements OnModuleInit {
  constructor(
    @Inject(TimerWorker) private readonly worker: TimerWorker,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    private readonly commands: CommandBus,
    private readonly rechecks: RecheckHandler,
  ) {}

  onModuleInit(): void {
    this.worker.handleBatch(TIMERS.recheck.kind, (timers, manager, now) => this.recheck(timers, manager, now), { size: this.config.RECHECK_BATCH_SIZE });
    this.worker.handle(TIMERS.decisionDue.kind, (timer, manager, now) => this.decisionDue(timer, manager, now));
  }

  private async recheck(timers: readonly DueTimer[], manager: EntityManager, now: Date): Promise<{ deferred: string[] }> {
    const commands = timers.map(
      (timer) => new RecheckCommand(timer.streamId, { type: 'Recheck', data: { cause: causeOf(timer) } }, { now: now.toISOString(), correlationId: randomUUID() }, manager),
    );
    const { skipped } = await this.rechecks.executeEach(commands, manager, 'skip');
    const busy = new Set(skipped);
    return { deferred: timers.filter((timer) => busy.has(timer.streamId)).map((timer) => timer.timerId) };
  }

  private async decisionDue(timer: DueTimer, manager: EntityManager, now: Date): Promise<void> {
    const requestId = String(timer.payload['requestId']);
    const metadata = { now: now.toISOString(), correlationId: randomUUID() };
    await this.commands.execute(new FlagDecisionOverdueCommand(timer.streamId, { type: 'FlagDecisionOverdue', data: { requestId } }, metadata, manager));
  }
}
