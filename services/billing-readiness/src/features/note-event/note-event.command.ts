import { CommandHandler } from '@nestjs/cqrs';
import { ReadinessUseCase, ReadinessUseCaseHandler } from '../../readiness-use-case';

/** A public plan or review event, consumed in its inbox transaction (inbound/). */
export class NoteEventCommand extends ReadinessUseCase<'NoteEvent'> {}

@CommandHandler(NoteEventCommand)
export class NoteEventHandler extends ReadinessUseCaseHandler<NoteEventCommand> {}
