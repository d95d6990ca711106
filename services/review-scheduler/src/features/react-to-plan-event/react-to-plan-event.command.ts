import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { ReviewDecisions, ReviewUseCase, ReviewUseCaseHandler, type ReviewRunResult, type ReviewStep } from '../../review-stream';

/** A plan event of interest, as a domain command, applied in the consumer's inbox transaction. */
export class ReactToPlanEvent extends ReviewUseCase<'RegisterPlan' | 'RecordTrigger' | 'RecordRevision' | 'RecordClosure'> {}

@CommandHandler(ReactToPlanEvent)
export class ReactToPlanEventHandler extends ReviewUseCaseHandler<ReactToPlanEvent> {}

/**
 * A consumed chunk's events, by plan (each plan's in their order), applied in the inbox transaction with one
 * statement per step for every plan of the chunk.
 */
export class ReactToPlanEvents {
  constructor(
    readonly stepsByPlan: ReadonlyMap<string, readonly ReviewStep[]>,
    readonly manager: EntityManager,
  ) {}
}

@CommandHandler(ReactToPlanEvents)
export class ReactToPlanEventsHandler implements ICommandHandler<ReactToPlanEvents, readonly ReviewRunResult[]> {
  constructor(private readonly decisions: ReviewDecisions) {}

  execute({ stepsByPlan, manager }: ReactToPlanEvents): Promise<readonly ReviewRunResult[]> {
    return this.decisions.runEach(stepsByPlan, manager);
  }
}
