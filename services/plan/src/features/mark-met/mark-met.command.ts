import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

/** A goal or an objective was met: either is a reason to update the plan. */
export class MarkMet extends PlanUseCase<'MarkGoalMet' | 'MarkObjectiveMet'> {}

@CommandHandler(MarkMet)
export class MarkMetHandler extends PlanUseCaseHandler<MarkMet> {}
