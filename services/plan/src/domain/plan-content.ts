import type { GoalLink, InstrumentCode } from '@golden-loop/clinical';
import type {
  BEHAVIOURAL_UNITS,
  CLOSURE_REASONS,
  DIAGNOSIS_RANKS,
  FREQUENCY_PERIODS,
  LIFE_EVENT_CATEGORIES,
  LIFE_EVENT_IMPACTS,
  MODALITIES,
  PLAN_ITEM_STATUSES,
  REVISION_REASONS,
  SESSION_TYPES,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
} from '@golden-loop/contracts';

// Code lists come from the public contracts, so that every event this domain stores can be published
// (libs/contracts rejects a code its schema does not list).
export type Modality = (typeof MODALITIES)[number];
export type BehaviouralUnit = (typeof BEHAVIOURAL_UNITS)[number];
export type RevisionReason = (typeof REVISION_REASONS)[number];
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];
export type ClosureReason = (typeof CLOSURE_REASONS)[number];
export type LifeEventImpact = (typeof LIFE_EVENT_IMPACTS)[number];
export type LifeEventCategory = (typeof LIFE_EVENT_CATEGORIES)[number];

export type SessionType = (typeof SESSION_TYPES)[number];
export type DiagnosisRank = (typeof DIAGNOSIS_RANKS)[number];
export type ItemStatus = (typeof PLAN_ITEM_STATUSES)[number];
export type InterventionStatus = Exclude<ItemStatus, 'met'>;
export type SignerRole = (typeof SIGNER_ROLES)[number];

export interface Frequency {
  readonly count: number;
  readonly per: (typeof FREQUENCY_PERIODS)[number];
}

/** What payers need to see (Medicare LCD L33632): type, session length, frequency and expected duration. */
export interface ServiceDetails {
  readonly sessionType: SessionType;
  readonly sessionMinutes: number;
  readonly frequency: Frequency;
  readonly expectedDurationWeeks: number;
}

/** A diagnosis is identified within its plan by its ICD-10-CM code, in the dotted canonical form. */
export interface Diagnosis {
  readonly code: string;
  readonly rank: DiagnosisRank;
  /** The clinician's wording, if any beyond the code's own title. */
  readonly description: string | null;
}

export interface Symptom {
  readonly symptomId: string;
  readonly diagnosisCode: string;
  readonly description: string;
}

export interface Impairment {
  readonly impairmentId: string;
  readonly diagnosisCode: string;
  readonly description: string;
}

/**
 * What a goal addresses: a diagnosis (id = its ICD-10-CM code), a symptom or a functional impairment.
 * The golden loop: every goal is linked to at least one.
 */
export type ProblemLink = GoalLink;

export interface Goal {
  readonly goalId: string;
  /** What the client hopes to change, in the client's own words. */
  readonly clientGoal: string;
  /** How treatment will help, in clinical words: the same change, described differently. */
  readonly clinicalGoal: string;
  readonly addresses: readonly ProblemLink[];
  readonly status: ItemStatus;
}

export type ObjectiveMeasure =
  | {
      readonly kind: 'instrument';
      readonly instrument: InstrumentCode;
      readonly loinc: string;
      readonly baseline: number;
      readonly target: number;
    }
  | {
      readonly kind: 'behavioural';
      /** What is counted, e.g. "days out of the house". */
      readonly description: string;
      readonly unit: BehaviouralUnit;
      readonly baseline: number;
      readonly target: number;
    };

export type MeasureKind = ObjectiveMeasure['kind'];

/** The kinds of measure, as the API names them: every kind of ObjectiveMeasure (a record, so none is left out). */
export const MEASURE_KINDS = Object.keys({ instrument: true, behavioural: true } satisfies Record<MeasureKind, true>) as readonly MeasureKind[];

export interface Objective {
  readonly objectiveId: string;
  readonly goalId: string;
  readonly description: string;
  /** Null while the objective is drafted without one (an advisory, not a refusal). */
  readonly measure: ObjectiveMeasure | null;
  /** Calendar date, YYYY-MM-DD; null while drafted without one (an advisory). */
  readonly targetDate: string | null;
  readonly status: ItemStatus;
}

export interface Intervention {
  readonly interventionId: string;
  readonly objectiveId: string;
  readonly modality: Modality;
  readonly description: string | null;
  readonly frequency: Frequency;
  readonly status: InterventionStatus;
}

/** Everything a revision agrees on. */
export interface PlanContent {
  readonly presentingProblem: string;
  readonly strengths: readonly string[];
  readonly service: ServiceDetails;
  readonly diagnoses: readonly Diagnosis[];
  readonly symptoms: readonly Symptom[];
  readonly impairments: readonly Impairment[];
  readonly goals: readonly Goal[];
  readonly objectives: readonly Objective[];
  readonly interventions: readonly Intervention[];
}

/** A signature on one revision: who, in which role, when and how (FHIR Provenance). */
export interface Attestation {
  readonly signerRole: SignerRole;
  readonly signerId: string;
  readonly signedAt: string;
  readonly method: SignatureMethod;
}

/** The plan's events that call for a revision: the one list (the API's trigger types read it). */
export const TRIGGER_TYPES = ['SymptomsChanged', 'GoalMet', 'ObjectiveMet', 'LifeEventReported'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/**
 * Something that happened in this plan and calls for a revision, named by the id its event carries:
 * the assessment id of a SymptomsChanged, the goal id of a GoalMet, the objective id of an ObjectiveMet,
 * the life-event id of a LifeEventReported. Each happens at most once per plan, so the pair is unique.
 */
export interface TriggerRef {
  readonly type: TriggerType;
  readonly id: string;
}

export interface IdChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** What a revision changed; diagnoses by code, everything else by id. */
export interface RevisionChanges {
  readonly goals: IdChanges;
  readonly objectives: IdChanges;
  readonly interventions: IdChanges;
  readonly diagnoses: IdChanges;
  readonly symptoms: IdChanges;
  readonly impairments: IdChanges;
  readonly service: boolean;
}

export const noIdChanges: IdChanges = { added: [], changed: [], removed: [] };

export const noChanges: RevisionChanges = {
  goals: noIdChanges,
  objectives: noIdChanges,
  interventions: noIdChanges,
  diagnoses: noIdChanges,
  symptoms: noIdChanges,
  impairments: noIdChanges,
  service: false,
};

export type ChangeKind = 'added' | 'changed' | 'removed';

/**
 * Records one change in a revision's summary. An item added in this revision stays "added" when changed again;
 * a removal drops it from added/changed and lists it as removed.
 */
export const recordChange = (changes: IdChanges, kind: ChangeKind, id: string): IdChanges => {
  const without = (ids: readonly string[]) => ids.filter((existing) => existing !== id);
  switch (kind) {
    case 'added':
      return { ...changes, added: [...without(changes.added), id] };
    case 'changed':
      return changes.added.includes(id) || changes.changed.includes(id)
        ? changes
        : { ...changes, changed: [...changes.changed, id] };
    case 'removed':
      return { added: without(changes.added), changed: without(changes.changed), removed: [...without(changes.removed), id] };
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; the decider records only added, changed and removed
    default: {
      const unknownKind: never = kind;
      void unknownKind;
      return changes;
    }
  }
};

export const activeGoals = (content: PlanContent): readonly Goal[] =>
  content.goals.filter((goal) => goal.status === 'active');

/** The ICD-10-CM codes a goal traces back to, directly or through a symptom or impairment. */
export const diagnosisCodesOf = (content: PlanContent, addresses: readonly ProblemLink[]): string[] => {
  const codes = addresses.map((link) => {
    switch (link.kind) {
      case 'diagnosis':
        return link.id;
      case 'symptom':
        // Stryker disable next-line OptionalChaining: a goal's links name items of the plan (problemLinks refuses others), so the symptom is found
        return content.symptoms.find((symptom) => symptom.symptomId === link.id)?.diagnosisCode;
      case 'impairment':
        // Stryker disable next-line OptionalChaining: as above, the impairment is found
        return content.impairments.find((impairment) => impairment.impairmentId === link.id)?.diagnosisCode;
      // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; linkKind has already refused any other kind
      default: {
        const unknownKind: never = link.kind;
        void unknownKind;
        return undefined;
      }
    }
  });
  // Stryker disable next-line MethodExpression,ConditionalExpression: every link is found (above), so no code is undefined; the filter only narrows the type
  return [...new Set(codes.filter((code): code is string => code !== undefined))];
};
