import { CommandHandler } from '@nestjs/cqrs';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

/** Open a draft revision (with its reason and the triggers it answers), or withdraw the one being drafted. */
export class ProposeRevision extends PlanUseCase<'ProposeRevision' | 'WithdrawRevision'> {}

@CommandHandler(ProposeRevision)
export class ProposeRevisionHandler extends PlanUseCaseHandler<ProposeRevision> {}
