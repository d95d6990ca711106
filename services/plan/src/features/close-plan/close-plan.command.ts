import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

export class ClosePlan extends PlanUseCase<'ClosePlan'> {}

@CommandHandler(ClosePlan)
export class ClosePlanHandler extends PlanUseCaseHandler<ClosePlan> {}
