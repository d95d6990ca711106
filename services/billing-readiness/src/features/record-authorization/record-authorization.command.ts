import { CommandHandler } from '@nestjs/cqrs';
import { ReadinessUseCase, ReadinessUseCaseHandler } from '../../readiness-use-case';

export class RecordAuthorizationCommand extends ReadinessUseCase<'RecordAuthorization'> {}
@CommandHandler(RecordAuthorizationCommand)
export class RecordAuthorizationHandler extends ReadinessUseCaseHandler<RecordAuthorizationCommand> {}

export class RecordSessionCommand extends ReadinessUseCase<'RecordSession'> {}
@CommandHandler(RecordSessionCommand)
export class RecordSessionHandler extends ReadinessUseCaseHandler<RecordSessionCommand> {}
