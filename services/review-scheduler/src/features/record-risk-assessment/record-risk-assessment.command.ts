import { CommandHandler } from '@nestjs/cqrs';
import { ReviewUseCase, ReviewUseCaseHandler } from '../../review-stream';

export class RecordRiskAssessment extends ReviewUseCase<'RecordRiskAssessment'> {}

@CommandHandler(RecordRiskAssessment)
export class RecordRiskAssessmentHandler extends ReviewUseCaseHandler<RecordRiskAssessment> {}
