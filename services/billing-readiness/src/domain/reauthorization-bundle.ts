import { createHash } from 'node:crypto';
import { INSTRUMENTS } from '@golden-loop/contracts';
import type { Bundle, BundleEntry, Claim, Condition, Goal, Observation, Resource } from '@medplum/fhirtypes';
import type { ReauthorizationPriority } from './events';
import type { AssessmentFact, PlanReadiness } from './state';
import { revisionInEffect } from './state';

// The re-authorization request as a FHIR R4 Bundle in the Da Vinci PAS request shape: a Claim with
// use = preauthorization first, then what it references (docs/payer-rules.md, "Re-authorization"). Only ids and
// codes: the plan's wording stays in the plan service. Resource ids are the system's own ids, or name-based UUIDs
// (RFC 4122 v5) for what has none, so the same request always yields the same bundle.

export const CODE_SYSTEMS = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  loinc: 'http://loinc.org',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  diagnosisType: 'http://terminology.hl7.org/CodeSystem/ex-diagnosistype',
  informationCategory: 'http://terminology.hl7.org/CodeSystem/claiminformationcategory',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  goal: 'urn:goldenloop:goal',
  objective: 'urn:goldenloop:objective',
  modality: 'urn:goldenloop:modality',
  behaviouralUnit: 'urn:goldenloop:behavioural-unit',
  plan: 'urn:goldenloop:plan',
  reauthorization: 'urn:goldenloop:reauthorization',
  authorizationNumber: 'urn:goldenloop:authorization-number',
} as const;

export interface BundleRequest {
  readonly requestId: string;
  readonly priority: ReauthorizationPriority;
  readonly serviceCodes: readonly string[];
  readonly sessionsRequested: number;
  readonly authorizationNumber: string | null;
  readonly period: { readonly start: string; readonly end: string };
  readonly submittedAt: string;
}

const NAMESPACE = 'b1f1c0de-9a1e-5d2b-8c3f-6a7b8c9d0e1f';

const nameUuid = (name: string): string => {
  const bytes = createHash('sha1').update(NAMESPACE).update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * Entries carry RESTful full URLs under this base and reference each other as `Type/id` (FHIR R4 Bundle reference
 * resolution), so a validator can tell each reference's target type. A deployment sets the base it serves.
 */
export const FHIR_BASE = 'https://fhir.goldenloop.example/r4';

const ref = (type: Resource['resourceType'], id: string) => `${type}/${id}`;
const entry = (resource: Resource & { id: string }): BundleEntry => ({ fullUrl: `${FHIR_BASE}/${resource.resourceType}/${resource.id}`, resource });

/** The last score before it on the same instrument says the trend; lower is better on PHQ-9 and GAD-7. */
const trendOf = (assessment: AssessmentFact, previous: AssessmentFact | undefined) => {
  if (!previous || previous.score === assessment.score) return undefined;
  const better = assessment.score < previous.score;
  return [{ coding: [{ system: CODE_SYSTEMS.interpretation, code: better ? 'B' : 'W', display: better ? 'Better' : 'Worse' }] }];
};

const observationsOf = (state: PlanReadiness, patient: string): Observation[] => {
  // In the order the scores were taken, not recorded: a score entered late takes its place by date
  // (docs/clinical-dates.md).
  const taken = [...state.assessments].sort((a, b) => (a.assessedAt < b.assessedAt ? -1 : 1));
  return taken.slice(-6).map((assessment) => {
    const previous = taken.filter((a) => a.instrument === assessment.instrument && a.assessedAt < assessment.assessedAt).at(-1);
    const interpretation = trendOf(assessment, previous);
    return {
      resourceType: 'Observation',
      id: assessment.assessmentId,
      status: 'final',
      category: [{ coding: [{ system: CODE_SYSTEMS.observationCategory, code: 'survey' }] }],
      code: { coding: [{ system: CODE_SYSTEMS.loinc, code: INSTRUMENTS[assessment.instrument].loinc }] },
      subject: { reference: patient },
      effectiveDateTime: assessment.assessedAt,
      valueInteger: assessment.score,
      ...(interpretation ? { interpretation } : {}),
    };
  });
};

export const reauthorizationBundle = (state: PlanReadiness, request: BundleRequest): Bundle => {
  const opened = state.opened;
  const inEffect = revisionInEffect(state);
  if (!opened || !opened.payerId || !state.planId) throw new RangeError('a re-authorization needs an open plan with a payer');
  const planId = state.planId;
  const patient = ref('Patient', opened.clientId);
  const practitionerId = inEffect?.signatures.clinician?.signerId ?? opened.clinicianId;
  const coverageId = nameUuid(`coverage/${opened.clientId}/${opened.payerId}`);
  const diagnoses = inEffect?.plan.diagnoses ?? opened.diagnoses;
  const conditions: (Condition & { id: string })[] = diagnoses.map((diagnosis) => ({
    resourceType: 'Condition',
    id: nameUuid(`condition/${planId}/${diagnosis.code}`),
    clinicalStatus: { coding: [{ system: CODE_SYSTEMS.conditionClinical, code: 'active' }] },
    code: { coding: [{ system: CODE_SYSTEMS.icd10cm, code: diagnosis.code }] },
    subject: { reference: patient },
  }));
  const conditionOf = new Map(diagnoses.map((diagnosis, i) => [diagnosis.code, ref('Condition', conditions[i].id)]));
  const metGoals = new Set(state.progress.goalsMet.map((g) => g.goalId));
  const metObjectives = new Set(state.progress.objectivesMet.map((o) => o.objectiveId));
  const lifecycle = (status: string): Goal['lifecycleStatus'] => (status === 'active' ? 'active' : status === 'met' ? 'completed' : 'cancelled');
  const achievement = (met: boolean) => ({ coding: [{ system: CODE_SYSTEMS.goalAchievement, code: met ? 'achieved' : 'in-progress' }] });
  const goals: (Goal & { id: string })[] = (inEffect?.plan.goals ?? []).map((goal) => ({
    resourceType: 'Goal',
    id: goal.goalId,
    lifecycleStatus: lifecycle(goal.status),
    achievementStatus: achievement(goal.status === 'met' || metGoals.has(goal.goalId)),
    description: { coding: [{ system: CODE_SYSTEMS.goal, code: goal.goalId }] },
    subject: { reference: patient },
    addresses: goal.diagnosisCodes.flatMap((code) => (conditionOf.has(code) ? [{ reference: conditionOf.get(code)! }] : [])),
  }));
  const objectives: (Goal & { id: string })[] = (inEffect?.plan.objectives ?? []).map((objective) => {
    const measure = objective.measure;
    const target =
      measure === null
        ? []
        : [
            {
              measure:
                measure.kind === 'instrument'
                  ? { coding: [{ system: CODE_SYSTEMS.loinc, code: measure.loinc }] }
                  : { coding: [{ system: CODE_SYSTEMS.behaviouralUnit, code: measure.unit }] },
              detailQuantity: { value: measure.target },
              ...(objective.targetDate ? { dueDate: objective.targetDate } : {}),
            },
          ];
    return {
      resourceType: 'Goal',
      id: objective.objectiveId,
      lifecycleStatus: lifecycle(objective.status),
      achievementStatus: achievement(objective.status === 'met' || metObjectives.has(objective.objectiveId)),
      description: { coding: [{ system: CODE_SYSTEMS.objective, code: objective.objectiveId }] },
      subject: { reference: patient },
      ...(target.length > 0 ? { target } : {}),
    };
  });
  const observations = observationsOf(state, patient);
  const carePlanId = nameUuid(`careplan/${planId}/${inEffect?.revision ?? 0}`);
  const carePlan = {
    resourceType: 'CarePlan' as const,
    id: carePlanId,
    identifier: [{ system: CODE_SYSTEMS.plan, value: `${planId}/revisions/${inEffect?.revision ?? 0}` }],
    status: inEffect ? ('active' as const) : ('draft' as const),
    intent: 'plan' as const,
    subject: { reference: patient },
    ...(inEffect ? { period: { start: inEffect.revisedAt }, created: inEffect.revisedAt } : {}),
    addresses: conditions.map((condition) => ({ reference: ref('Condition', condition.id) })),
    goal: [...goals, ...objectives].map((goal) => ({ reference: ref('Goal', goal.id) })),
    activity: (inEffect?.plan.interventions ?? []).map((intervention) => ({
      detail: {
        status: 'in-progress' as const,
        code: { coding: [{ system: CODE_SYSTEMS.modality, code: intervention.modality }] },
        ...(intervention.frequency
          ? { scheduledTiming: { repeat: { frequency: intervention.frequency.count, period: 1, periodUnit: intervention.frequency.per === 'week' ? ('wk' as const) : ('mo' as const) } } }
          : {}),
      },
    })),
  };
  const supporting = [carePlan, ...goals, ...objectives, ...observations] as (Resource & { id: string })[];
  const claim: Claim & { id: string } = {
    resourceType: 'Claim',
    id: request.requestId,
    identifier: [{ system: CODE_SYSTEMS.reauthorization, value: request.requestId }],
    status: 'active',
    type: { coding: [{ system: CODE_SYSTEMS.claimType, code: 'professional' }] },
    use: 'preauthorization',
    patient: { reference: patient },
    created: request.submittedAt,
    insurer: { reference: ref('Organization', opened.payerId) },
    provider: { reference: ref('Practitioner', practitionerId) },
    // CMS-0057-F: expedited requests are decided within 72 hours, standard ones within 7 calendar days.
    priority: { coding: [{ system: CODE_SYSTEMS.processPriority, code: request.priority === 'expedited' ? 'stat' : 'normal' }] },
    insurance: [
      {
        sequence: 1,
        focal: true,
        coverage: { reference: ref('Coverage', coverageId) },
        ...(request.authorizationNumber ? { preAuthRef: [request.authorizationNumber] } : {}),
      },
    ],
    diagnosis: diagnoses.map((diagnosis, i) => ({
      sequence: i + 1,
      diagnosisCodeableConcept: { coding: [{ system: CODE_SYSTEMS.icd10cm, code: diagnosis.code }] },
      type: [{ coding: [{ system: CODE_SYSTEMS.diagnosisType, code: diagnosis.rank === 'primary' ? 'principal' : 'secondary' }] }],
    })),
    supportingInfo: supporting.map((resource, i) => ({
      sequence: i + 1,
      category: { coding: [{ system: CODE_SYSTEMS.informationCategory, code: 'info' }] },
      valueReference: { reference: ref(resource.resourceType, resource.id) },
    })),
    item: request.serviceCodes.map((code, i) => ({
      sequence: i + 1,
      ...(diagnoses.length > 0 ? { diagnosisSequence: [1] } : {}),
      productOrService: { coding: [{ system: CODE_SYSTEMS.cpt, code }] },
      quantity: { value: request.sessionsRequested },
      servicedPeriod: { start: request.period.start, end: request.period.end },
    })),
  };
  const entries: BundleEntry[] = [
    entry(claim),
    entry({ resourceType: 'Patient', id: opened.clientId }),
    entry({ resourceType: 'Practitioner', id: practitionerId }),
    entry({ resourceType: 'Organization', id: opened.payerId }),
    entry({ resourceType: 'Coverage', id: coverageId, status: 'active', beneficiary: { reference: patient }, payor: [{ reference: ref('Organization', opened.payerId) }] }),
    ...conditions.map(entry),
    ...supporting.map(entry),
  ];
  return {
    resourceType: 'Bundle',
    id: request.requestId,
    identifier: { system: CODE_SYSTEMS.reauthorization, value: request.requestId },
    type: 'collection',
    timestamp: request.submittedAt,
    entry: entries,
  };
};
