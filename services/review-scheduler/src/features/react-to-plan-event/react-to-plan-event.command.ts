import { CommandHandler } from '@nestjs/cqrs';
import { ReviewUseCase, ReviewUseCaseHandler } from '../../review-stream';

/** A plan event of interest, as a domain command, applied in the consumer's inbox transaction. */
export class ReactToPlanEvent extends ReviewUseCase<'RegisterPlan' | 'RecordTrigger' | 'RecordRevision' | 'RecordClosure'> {}

@CommandHandler(ReactToPlanEvent)
export class ReactToPlanEventHandler extends ReviewUseCaseHandler<ReactToPlanEvent> {}
