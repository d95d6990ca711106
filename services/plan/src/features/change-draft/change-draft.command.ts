import { CommandHandler } from '@nestjs/cqrs';
import type { RevisionChangeCommand } from '../../domain/commands';
import { PlanUseCase, PlanUseCaseHandler } from '../../plan-stream';

/** A change to what the draft revision agrees on: diagnoses, symptoms, impairments, service, goals, objectives, interventions. */
export class ChangeDraft extends PlanUseCase<RevisionChangeCommand['type']> {}

@CommandHandler(ChangeDraft)
export class ChangeDraftHandler extends PlanUseCaseHandler<ChangeDraft> {}
