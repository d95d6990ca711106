import { CommandHandler } from '@nestjs/cqrs';
import { ReviewUseCase, ReviewUseCaseHandler } from '../../review-stream';

export class CompleteWithoutChange extends ReviewUseCase<'CompleteWithoutChange'> {}

@CommandHandler(CompleteWithoutChange)
export class CompleteWithoutChangeHandler extends ReviewUseCaseHandler<CompleteWithoutChange> {}
