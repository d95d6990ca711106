import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

export class RecordAssessment extends PlanUseCase<'RecordAssessment'> {}

@CommandHandler(RecordAssessment)
export class RecordAssessmentHandler extends PlanUseCaseHandler<RecordAssessment> {}
