import { randomUUID } from 'node:crypto';
import { TimerWorker, type DueTimer } from '@golden-loop/scheduling';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { TIMERS } from '../../readiness-stream';
import { FlagDecisionOverdueCommand, RecheckCommand } from './recheck.command';

const RECHECK_CAUSES = ['scheduled', 'rule_set_changed', 'credentials_changed'] as const;
type RecheckCause = (typeof RECHECK_CAUSES)[number];

const causeOf = (timer: DueTimer): RecheckCause => {
  const cause = timer.payload['cause'];
  return RECHECK_CAUSES.includes(cause as RecheckCause) ? (cause as RecheckCause) : 'scheduled';
};

/**
 * When time alone changes the answer: the plan's re-check timer (armed at the next rule boundary, or due now after a
 * rule-set or credentials change) and the payer's decision deadline. Each fires once, in its own transaction, through
 * the same handler as every other input (docs/payer-rules.md, "Time").
 */
@Injectable()
export class RecheckTimers implements OnModuleInit {
  constructor(
    @Inject(TimerWorker) private readonly worker: TimerWorker,
    private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    this.worker.handle(TIMERS.recheck.kind, (timer, manager, now) => this.recheck(timer, manager, now));
    this.worker.handle(TIMERS.decisionDue.kind, (timer, manager, now) => this.decisionDue(timer, manager, now));
  }

  private async recheck(timer: DueTimer, manager: EntityManager, now: Date): Promise<void> {
    const metadata = { now: now.toISOString(), correlationId: randomUUID() };
    await this.commands.execute(new RecheckCommand(timer.streamId, { type: 'Recheck', data: { cause: causeOf(timer) } }, metadata, manager));
  }

  private async decisionDue(timer: DueTimer, manager: EntityManager, now: Date): Promise<void> {
    const requestId = String(timer.payload['requestId']);
    const metadata = { now: now.toISOString(), correlationId: randomUUID() };
    await this.commands.execute(new FlagDecisionOverdueCommand(timer.streamId, { type: 'FlagDecisionOverdue', data: { requestId } }, metadata, manager));
  }
}
