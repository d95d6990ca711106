import { CommandHandler } from '@nestjs/cqrs';
import { ReviewUseCase, ReviewUseCaseHandler } from '../../review-stream';

/** A durable timer's decision, applied in the transaction that marks the timer fired. */
export class FireReviewTimer extends ReviewUseCase<'MarkOverdue' | 'EscalateSafetyReview' | 'OpenPeriodicReview'> {}

@CommandHandler(FireReviewTimer)
export class FireReviewTimerHandler extends ReviewUseCaseHandler<FireReviewTimer> {}
