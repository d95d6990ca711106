import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { ReviewDecisions, ReviewUseCase, ReviewUseCaseHandler, type ReviewRunResult, type ReviewStep } from '../../review-stream';

/** A plan event of interest, as a domain command, applied in the consumer's inbox transaction. */
export class ReactToPlanEvent extends ReviewUseCase<'RegisterPlan' | 'RecordTrigger' | 'RecordRevision' | 'RecordClosure'> {}

@CommandHandler(ReactToPlanEvent)
export class ReactToPlanEventHandler extends ReviewUseCaseHandler<ReactToPlanEvent> {}

/** A consumed chunk's events of one plan, in order, applied with one read and one append in the inbox transaction. */
export class ReactToPlanEvents {
  constructor(
    readonly planId: string,
    readonly steps: readonly ReviewStep[],
    readonly manager: EntityManager,
  ) {}
}

@CommandHandler(ReactToPlanEvents)
export class ReactToPlanEventsHandler implements ICommandHandler<ReactToPlanEvents, ReviewRunResult> {
  constructor(private readonly decisions: ReviewDecisions) {}

  execute({ planId, steps, manager }: ReactToPlanEvents): Promise<ReviewRunResult> {
    return this.decisions.runSequence(planId, steps, manager);
  }
}
