import { CommandHandler } from '@nestjs/cqrs';
import { ReadinessUseCase, ReadinessUseCaseHandler } from '../../readiness-use-case';

export class RecheckCommand extends ReadinessUseCase<'Recheck'> {}

@CommandHandler(RecheckCommand)
export class RecheckHandler extends ReadinessUseCaseHandler<RecheckCommand> {}

export class FlagDecisionOverdueCommand extends ReadinessUseCase<'FlagDecisionOverdue'> {}

@CommandHandler(FlagDecisionOverdueCommand)
export class FlagDecisionOverdueHandler extends ReadinessUseCaseHandler<FlagDecisionOverdueCommand> {}
