import { CommandHandler } from '@nestjs/cqrs';
import { ReadinessUseCase, ReadinessUseCaseHandler } from '../../readiness-use-case';

export class RequestReauthorizationCommand extends ReadinessUseCase<'RequestReauthorization'> {}
@CommandHandler(RequestReauthorizationCommand)
export class RequestReauthorizationHandler extends ReadinessUseCaseHandler<RequestReauthorizationCommand> {}

export class RecordPayerDecisionCommand extends ReadinessUseCase<'RecordPayerDecision'> {}
@CommandHandler(RecordPayerDecisionCommand)
export class RecordPayerDecisionHandler extends ReadinessUseCaseHandler<RecordPayerDecisionCommand> {}
