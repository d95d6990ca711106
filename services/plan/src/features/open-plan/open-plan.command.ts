import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

export class OpenPlan extends PlanUseCase<'OpenPlan'> {}

@CommandHandler(OpenPlan)
export class OpenPlanHandler extends PlanUseCaseHandler<OpenPlan> {}
