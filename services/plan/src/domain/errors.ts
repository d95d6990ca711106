import type { ScoringProblem } from '@golden-loop/clinical';
import { DomainError, type FieldProblem } from '@golden-loop/decider';

/**
 * Every refusal of the TreatmentPlan: a stable code, a sentence a clinician understands, and the field at fault.
 * Its kind (invalid, conflict, not_found) decides the HTTP status, in libs/http-api for every service.
 */
export abstract class PlanError extends DomainError {}

export const isPlanError = (error: unknown): error is PlanError => error instanceof PlanError;

/** There is no plan with this id: for a command on it and for a read of it alike (one code per fact). */
export class PlanNotFound extends PlanError {
  readonly code = 'plan_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('There is no treatment plan with this id; open one first.');
  }
}

export class PlanAlreadyOpened extends PlanError {
  readonly code = 'plan_already_opened';
  readonly kind = 'conflict';
  constructor(readonly planId: string) {
    super('This treatment plan is already open.');
  }
}

export class PlanIsClosed extends PlanError {
  readonly code = 'plan_closed';
  readonly kind = 'conflict';
  constructor(readonly closedAt: string) {
    super('This treatment plan was closed (the client was discharged); it can be read but no longer changed.');
  }
}

export class NoOpenRevision extends PlanError {
  readonly code = 'no_open_revision';
  readonly kind = 'conflict';
  constructor() {
    super(
      'Goals, objectives, interventions and diagnoses change only within a revision; propose a revision first.',
    );
  }
}

export class RevisionAlreadyOpen extends PlanError {
  readonly code = 'revision_already_open';
  readonly kind = 'conflict';
  constructor(readonly revision: number) {
    super(`Revision ${revision} is still being drafted; finish and sign it, or withdraw it, before proposing another.`);
  }
}

export class RevisionMismatch extends PlanError {
  readonly code = 'revision_mismatch';
  readonly kind = 'conflict';
  constructor(readonly requested: number, readonly open: number | null) {
    super(
      open === null
        ? `Revision ${requested} is not open; there is no revision being drafted.`
        : `Revision ${requested} is not the revision being drafted; revision ${open} is.`,
      'revision',
    );
  }
}

export class FirstRevisionCannotBeWithdrawn extends PlanError {
  readonly code = 'first_revision_not_withdrawable';
  readonly kind = 'conflict';
  constructor() {
    super('The first revision is the plan itself and cannot be withdrawn; change it, or close the plan.', 'revision');
  }
}

/** A field of the command is missing or malformed. */
export class FieldInvalid extends PlanError {
  readonly code = 'field_invalid';
  readonly kind = 'invalid';
  constructor(field: string, readonly reason: string) {
    super(reason, field);
  }
}

export class DiagnosisCodeInvalid extends PlanError {
  readonly code = 'diagnosis_code_invalid';
  readonly kind = 'invalid';
  constructor(field: string, readonly reason: string) {
    super(reason, field);
  }
}

export class NotExactlyOnePrimaryDiagnosis extends PlanError {
  readonly code = 'exactly_one_primary_diagnosis';
  readonly kind = 'invalid';
  constructor(readonly primaryCount: number) {
    super(
      `A plan has exactly one primary diagnosis; ${primaryCount === 0 ? 'none was' : `${primaryCount} were`} given.`,
      'diagnoses',
    );
  }
}

export type PlanItemKind =
  | 'diagnosis'
  | 'symptom'
  | 'impairment'
  | 'goal'
  | 'objective'
  | 'intervention'
  | 'assessment'
  | 'life_event'
  | 'trigger';

const itemName: Readonly<Record<PlanItemKind, string>> = {
  diagnosis: 'diagnosis',
  symptom: 'symptom',
  impairment: 'functional impairment',
  goal: 'goal',
  objective: 'objective',
  intervention: 'intervention',
  assessment: 'assessment',
  life_event: 'life event',
  trigger: 'event to answer',
};

export class IdAlreadyUsed extends PlanError {
  readonly code = 'id_already_used';
  readonly kind = 'conflict';
  constructor(readonly itemKind: PlanItemKind, readonly id: string, field: string) {
    super(`This plan already has a ${itemName[itemKind]} ${id}.`, field);
  }
}

export class NotFoundInPlan extends PlanError {
  readonly code: `${PlanItemKind}_not_found`;
  readonly kind = 'not_found';
  constructor(readonly itemKind: PlanItemKind, readonly id: string, field: string) {
    super(`This plan has no ${itemName[itemKind]} ${id}.`, field);
    this.code = `${itemKind}_not_found`;
  }
}

export class NotActive extends PlanError {
  readonly code: `${'goal' | 'objective' | 'intervention'}_not_active`;
  readonly kind = 'conflict';
  constructor(readonly itemKind: 'goal' | 'objective' | 'intervention', readonly id: string, readonly status: string) {
    super(`The ${itemName[itemKind]} ${id} is ${status}, not active.`);
    this.code = `${itemKind}_not_active`;
  }
}

export class GoalNotLinked extends PlanError {
  readonly code = 'goal_not_linked';
  readonly kind = 'invalid';
  constructor() {
    super(
      'A goal must address a diagnosis, symptom or functional impairment in the plan (the golden loop).',
      'addresses',
    );
  }
}

export class ObjectiveNotMeasurable extends PlanError {
  readonly code = 'objective_not_measurable';
  readonly kind = 'invalid';
  constructor(field: string, readonly reason: string) {
    super(reason, field);
  }
}

export class LastActiveGoal extends PlanError {
  readonly code = 'last_active_goal';
  readonly kind = 'conflict';
  constructor(readonly goalId: string) {
    super(
      `Goal ${goalId} is the client's only active goal, and every client keeps at least one. ` +
        'Propose a revision that adds the next goal first, or close the plan if treatment is complete.',
    );
  }
}

export class PlanWouldHaveNoActiveGoal extends PlanError {
  readonly code = 'no_active_goal_left';
  readonly kind = 'conflict';
  constructor(readonly revision: number) {
    super(
      `Withdrawing revision ${revision} would leave the plan in effect without an active goal, and every client keeps ` +
        'at least one; sign the revision, or add a goal to it first.',
    );
  }
}

export class RevisionHasNoActiveGoal extends PlanError {
  readonly code = 'revision_has_no_active_goal';
  readonly kind = 'conflict';
  constructor(readonly revision: number) {
    super(`Revision ${revision} has no active goal; every client keeps at least one, so add one before signing.`);
  }
}

export class StillLinked extends PlanError {
  readonly code = 'still_linked';
  readonly kind = 'conflict';
  constructor(readonly itemKind: PlanItemKind, readonly id: string, readonly linkedFrom: readonly string[]) {
    super(
      `The ${itemName[itemKind]} ${id} is still addressed by ${linkedFrom.join(', ')}; relink or remove those first.`,
    );
  }
}

export class PrimaryDiagnosisCannotBeRemoved extends PlanError {
  readonly code = 'primary_diagnosis_not_removable';
  readonly kind = 'conflict';
  constructor(readonly diagnosisCode: string) {
    super(`${diagnosisCode} is the primary diagnosis; make another diagnosis primary before removing it.`, 'code');
  }
}

export class AlreadySigned extends PlanError {
  readonly code = 'already_signed';
  readonly kind = 'conflict';
  constructor(readonly revision: number, readonly signerRole: string) {
    super(`The ${signerRole} has already signed revision ${revision}.`, 'signerRole');
  }
}

export class SignerNotOnPlan extends PlanError {
  readonly code = 'signer_not_on_plan';
  readonly kind = 'invalid';
  constructor(readonly signerRole: string, readonly signerId: string) {
    super(`${signerId} is not this plan's ${signerRole}; only the plan's own client and clinician sign it.`, 'signerId');
  }
}

export class AssessmentInvalid extends PlanError {
  readonly code = 'assessment_invalid';
  readonly kind = 'invalid';
  constructor(readonly scoringProblems: readonly ScoringProblem[]) {
    // Stryker disable next-line OptionalChaining: an assessment is refused only with at least one problem (libs/clinical scoreAssessment)
    super(`The assessment was not recorded: ${scoringProblems.map((problem) => problem.reason).join(' ')}`, scoringProblems[0]?.field);
  }

  override get problems(): readonly FieldProblem[] {
    return this.scoringProblems.map(({ field, reason }) => ({ field, reason }));
  }
}

/** The items of a kind the revision may hold (docs/input-limits.md); one more could never be published, so never signed. */
export type LimitedCollection = 'diagnoses' | 'symptoms' | 'impairments' | 'goals' | 'objectives' | 'active_interventions';

/** The revision already holds as many items of a kind as a plan may; the advice says how to go on. */
export class CollectionFull extends PlanError {
  readonly code = 'collection_full';
  readonly kind = 'conflict';
  constructor(
    readonly collection: LimitedCollection,
    readonly limit: number,
    advice: string,
  ) {
    // The field at fault is the revision's list, named as the plan document names it.
    super(
      `This revision already has ${limit} ${collection.replace('_', ' ')}, the most a plan can hold; ${advice}.`,
      collection === 'active_interventions' ? 'interventions' : collection,
    );
  }

  override get extensions() {
    return { collection: this.collection, limit: this.limit };
  }
}

/** A real date, but one the plan cannot hold: a target before the plan opened or decades away, a life event in the future. */
export class DateOutOfRange extends PlanError {
  readonly code = 'date_out_of_range';
  readonly kind = 'invalid';
  constructor(field: string, readonly reason: string) {
    super(reason, field);
  }
}
