import { randomUUID } from 'node:crypto';
import { TimerWorker, type DueTimer } from '@golden-loop/scheduling';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { FireReviewTimer } from '../features/fire-review-timer/fire-review-timer.command';
import { SupervisionDirectory } from '../features/supervision/supervision.directory';
import { TIMER_KINDS, type EscalationPayload, type OverduePayload, type PeriodicPayload } from '../review-timers';
import { taskIdFor } from '../task-ids';

/**
 * The review timers' handlers (libs/scheduling): each fire runs a command on the plan's review stream in the
 * worker's transaction, so its events, their outbox rows and the timer's `fired_at` commit together, once, whatever
 * the number of instances and restarts.
 */
@Injectable()
export class ReviewTimersWorker implements OnModuleInit {
  constructor(
    private readonly worker: TimerWorker,
    private readonly commands: CommandBus,
    private readonly supervision: SupervisionDirectory,
  ) {}

  onModuleInit(): void {
    this.worker.handle(TIMER_KINDS.overdue, (timer, manager) => {
      const { taskId } = timer.payload as OverduePayload;
      return this.fire(timer, manager, { type: 'MarkOverdue', data: { taskId } });
    });
    this.worker.handle(TIMER_KINDS.escalation, async (timer, manager) => {
      const { taskId, clinicianId } = timer.payload as EscalationPayload;
      // The supervisor known when the review became overdue, not when it opened.
      const supervision = await this.supervision.find(clinicianId, manager);
      await this.fire(timer, manager, {
        type: 'EscalateSafetyReview',
        data: { taskId, supervisorId: supervision?.supervisorId ?? null, teamId: supervision?.teamId ?? null },
      });
    });
    this.worker.handle(TIMER_KINDS.periodic, (timer, manager) => {
      const { reviewAt } = timer.payload as PeriodicPayload;
      return this.fire(timer, manager, { type: 'OpenPeriodicReview', data: { reviewAt, taskId: taskIdFor(timer.streamId, 'periodic_review', reviewAt) } });
    });
  }

  private async fire(timer: DueTimer, manager: EntityManager, command: FireReviewTimer['command']): Promise<void> {
    await this.commands.execute(new FireReviewTimer(timer.streamId, command, { correlationId: randomUUID() }, manager));
  }
}
