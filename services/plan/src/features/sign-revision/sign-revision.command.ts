import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

/** The client or the clinician attests the draft revision; with both signatures it takes effect. */
export class SignRevision extends PlanUseCase<'SignRevision'> {}

@CommandHandler(SignRevision)
export class SignRevisionHandler extends PlanUseCaseHandler<SignRevision> {}
