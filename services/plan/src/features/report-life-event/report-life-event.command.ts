import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

export class ReportLifeEvent extends PlanUseCase<'ReportLifeEvent'> {}

@CommandHandler(ReportLifeEvent)
export class ReportLifeEventHandler extends PlanUseCaseHandler<ReportLifeEvent> {}
