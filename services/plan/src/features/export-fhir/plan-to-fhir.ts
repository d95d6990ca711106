import { INSTRUMENTS, type SeverityBand } from '@golden-loop/clinical';
import type {
  Bundle,
  BundleEntry,
  CarePlan,
  CarePlanActivity,
  CodeableConcept,
  Condition,
  Goal as FhirGoal,
  GoalTarget,
  Observation,
  Patient,
  Practitioner,
  Provenance,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { Attestation, BehaviouralUnit, Goal, Intervention, ItemStatus, Objective, PlanContent, SignatureMethod } from '../../domain/plan-content';
import type { AssessmentRecord, OpenedPlan } from '../../domain/plan-state';

// The plan as a FHIR R4 Bundle of type collection (docs/fhir-export.md): a pure function of the folded state.
// Every resource keeps the plan's own id for it; references are relative ("Goal/<goalId>") and resolve against
// `baseUrl`, the FHIR base every entry's fullUrl is built on (FHIR R4 Bundle §3.1.3.5, resolving references).

export const FHIR_CONTENT_TYPE = 'application/fhir+json';

/** FHIR R4 code systems and the LOINC / ISO-ASTM codes the export uses (sources in docs/fhir-export.md). */
export const FHIR_SYSTEMS = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
  provenanceParticipant: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  signatureType: 'urn:iso-astm:E1762-95:2013',
  // Golden Loop's own vocabularies (libs/contracts), where FHIR has no standard code.
  severityBand: 'urn:goldenloop:fhir:severity-band',
  modality: 'urn:goldenloop:fhir:modality',
  signatureMethod: 'urn:goldenloop:fhir:signature-method',
  planId: 'urn:goldenloop:plan',
} as const;

/** LOINC display names of the instruments' total scores. */
const LOINC_DISPLAY: Readonly<Record<string, string>> = {
  '44261-6': 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
  '70274-6': 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
};

export interface FhirExportOptions {
  /** The FHIR base of the export: fullUrl = `${baseUrl}/${resourceType}/${id}`. */
  readonly baseUrl: string;
  /** When the bundle was assembled (an instant). */
  readonly timestamp: string;
  /** The plan's version (its ETag), kept as the CarePlan's meta.versionId. */
  readonly version?: number;
}

/** A relative reference, typed by the resource it names: ref<Goal>('Goal', id). */
const ref = <T extends Resource>(resourceType: T['resourceType'], id: string): Reference<T> => ({ reference: `${resourceType}/${id}` });
const patient = (plan: OpenedPlan) => ref<Patient>('Patient', plan.clientId);
const practitioner = (id: string) => ref<Practitioner>('Practitioner', id);
const signer = (attestation: Attestation) =>
  attestation.signerRole === 'client' ? ref<Patient>('Patient', attestation.signerId) : practitioner(attestation.signerId);

const words = (code: string) => {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** The content the export describes: the revision in effect, or the draft of a plan never signed. */
const exportedContent = (plan: OpenedPlan): PlanContent | null => plan.inEffect ?? plan.draft?.content ?? null;

const carePlanStatus = (plan: OpenedPlan): CarePlan['status'] => {
  if (plan.status === 'closed') return plan.closure?.reason === 'treatment_completed' ? 'completed' : 'revoked';
  return plan.inEffect === null ? 'draft' : 'active';
};

const conditionId = (code: string) => code;

/** The Conditions a goal addresses: a diagnosis itself, or the diagnosis a symptom or impairment belongs to. */
const addressedConditions = (goal: Goal, content: PlanContent): Reference<Condition>[] => {
  const codes = goal.addresses.map((link) => {
    if (link.kind === 'diagnosis') return link.id;
    const items = link.kind === 'symptom' ? content.symptoms : content.impairments;
    return items.find((item) => ('symptomId' in item ? item.symptomId : item.impairmentId) === link.id)?.diagnosisCode;
  });
  const known = new Set(content.diagnoses.map((diagnosis) => diagnosis.code));
  return [...new Set(codes)].filter((code): code is string => code !== undefined && known.has(code)).map((code) => ref<Condition>('Condition', conditionId(code)));
};

const goalLifecycle: Readonly<Record<ItemStatus, FhirGoal['lifecycleStatus']>> = { active: 'active', met: 'completed', discontinued: 'cancelled' };
const goalAchievement: Readonly<Record<ItemStatus, { code: string; display: string } | null>> = {
  active: { code: 'in-progress', display: 'In Progress' },
  met: { code: 'achieved', display: 'Achieved' },
  discontinued: null,
};

/** UCUM for the behavioural units (libs/contracts BEHAVIOURAL_UNITS); `unit` keeps the human wording. */
const BEHAVIOURAL_UCUM: Readonly<Record<BehaviouralUnit, { code: string; unit: string }>> = {
  count_per_day: { code: '/d', unit: 'per day' },
  count_per_week: { code: '/wk', unit: 'per week' },
  days_per_week: { code: 'd/wk', unit: 'days per week' },
  minutes_per_day: { code: 'min/d', unit: 'minutes per day' },
  hours_per_night: { code: 'h', unit: 'hours per night' },
  rating_0_10: { code: '{score}', unit: 'rating 0-10' },
  percent: { code: '%', unit: 'percent' },
};

const loincConcept = (loinc: string, text: string): CodeableConcept => ({
  coding: [{ system: FHIR_SYSTEMS.loinc, code: loinc, display: LOINC_DISPLAY[loinc] }],
  text,
});

/** An objective as a Goal.target: what is measured, the value aimed for, and by when. */
const goalTarget = (objective: Objective): GoalTarget => {
  const dueDate = objective.targetDate ?? undefined;
  const { measure } = objective;
  if (measure === null) return { dueDate };
  // Lower is better on the instruments; a behavioural target may aim up or down from its baseline.
  const comparator: Quantity['comparator'] = measure.target <= measure.baseline ? '<=' : '>=';
  if (measure.kind === 'instrument') {
    return {
      measure: loincConcept(measure.loinc, `${measure.instrument} total score`),
      detailQuantity: { value: measure.target, comparator, system: FHIR_SYSTEMS.ucum, code: '{score}', unit: 'score' },
      dueDate,
    };
  }
  const unit = BEHAVIOURAL_UCUM[measure.unit];
  return {
    measure: { text: measure.description },
    detailQuantity: { value: measure.target, comparator, system: FHIR_SYSTEMS.ucum, code: unit.code, unit: unit.unit },
    dueDate,
  };
};

const goalResource = (plan: OpenedPlan, content: PlanContent, goal: Goal): FhirGoal => {
  const achievement = goalAchievement[goal.status];
  const targets = content.objectives.filter((objective) => objective.goalId === goal.goalId && objective.status !== 'discontinued').map(goalTarget);
  return {
    resourceType: 'Goal',
    id: goal.goalId,
    lifecycleStatus: goalLifecycle[goal.status],
    ...(achievement ? { achievementStatus: { coding: [{ system: FHIR_SYSTEMS.goalAchievement, ...achievement }], text: achievement.display } } : {}),
    description: { text: goal.clinicalGoal },
    subject: patient(plan),
    expressedBy: patient(plan),
    addresses: addressedConditions(goal, content),
    ...(targets.length > 0 ? { target: targets } : {}),
    note: [{ text: `In the client's words: ${goal.clientGoal}` }],
  };
};

const conditionResource = (plan: OpenedPlan, diagnosis: PlanContent['diagnoses'][number]): Condition => ({
  resourceType: 'Condition',
  id: conditionId(diagnosis.code),
  clinicalStatus: { coding: [{ system: FHIR_SYSTEMS.conditionClinical, code: 'active' }] },
  verificationStatus: { coding: [{ system: FHIR_SYSTEMS.conditionVerification, code: 'confirmed' }] },
  category: [{ coding: [{ system: FHIR_SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
  code: { coding: [{ system: FHIR_SYSTEMS.icd10cm, code: diagnosis.code }], ...(diagnosis.description ? { text: diagnosis.description } : {}) },
  subject: patient(plan),
  asserter: practitioner(plan.clinicianId),
  recordedDate: plan.openedAt,
});

/** Interventions as CarePlan activities: the modality, what is done, how often, towards which goal. */
const activity = (content: PlanContent, intervention: Intervention): CarePlanActivity => {
  const goalId = content.objectives.find((objective) => objective.objectiveId === intervention.objectiveId)?.goalId;
  return {
    detail: {
      code: { coding: [{ system: FHIR_SYSTEMS.modality, code: intervention.modality, display: words(intervention.modality) }], text: words(intervention.modality) },
      status: intervention.status === 'active' ? 'in-progress' : 'stopped',
      ...(intervention.description ? { description: intervention.description } : {}),
      ...(goalId ? { goal: [ref<FhirGoal>('Goal', goalId)] } : {}),
      scheduledTiming: { repeat: { frequency: intervention.frequency.count, period: 1, periodUnit: intervention.frequency.per === 'week' ? 'wk' : 'mo' } },
    },
  };
};

const carePlanResource = (plan: OpenedPlan, content: PlanContent | null, version: number | undefined): CarePlan => ({
  resourceType: 'CarePlan',
  id: plan.planId,
  ...(version === undefined ? {} : { meta: { versionId: String(version) } }),
  identifier: [{ system: FHIR_SYSTEMS.planId, value: plan.planId }],
  status: carePlanStatus(plan),
  intent: 'plan',
  title: 'Treatment plan',
  subject: patient(plan),
  period: { start: plan.openedAt, ...(plan.closure ? { end: plan.closure.closedAt } : {}) },
  created: plan.openedAt,
  author: practitioner(plan.clinicianId),
  ...(content && content.diagnoses.length > 0 ? { addresses: content.diagnoses.map((diagnosis) => ref<Condition>('Condition', conditionId(diagnosis.code))) } : {}),
  ...(content && content.goals.length > 0 ? { goal: content.goals.map((goal) => ref<FhirGoal>('Goal', goal.goalId)) } : {}),
  ...(content && content.interventions.length > 0 ? { activity: content.interventions.map((intervention) => activity(content, intervention)) } : {}),
});

const bandDisplay = (band: SeverityBand) => words(band);

const observationResource = (plan: OpenedPlan, assessment: AssessmentRecord): Observation => {
  const { loinc } = INSTRUMENTS[assessment.instrument];
  return {
    resourceType: 'Observation',
    id: assessment.assessmentId,
    status: 'final',
    category: [{ coding: [{ system: FHIR_SYSTEMS.observationCategory, code: 'survey', display: 'Survey' }] }],
    code: loincConcept(loinc, `${assessment.instrument} total score`),
    subject: patient(plan),
    basedOn: [ref<CarePlan>('CarePlan', plan.planId)],
    effectiveDateTime: assessment.assessedAt,
    valueInteger: assessment.total,
    interpretation: [
      { coding: [{ system: FHIR_SYSTEMS.severityBand, code: assessment.band, display: bandDisplay(assessment.band) }], text: bandDisplay(assessment.band) },
    ],
  };
};

/** ISO-ASTM E1762-95 signature types: the client consents to the plan, the clinician authors it. */
const SIGNATURE_TYPES = {
  client: { code: '1.2.840.10065.1.12.1.7', display: 'Consent Signature' },
  clinician: { code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" },
} as const;

const SIGNATURE_METHOD_TEXT: Readonly<Record<SignatureMethod, string>> = {
  electronic: 'Signed electronically',
  wet_ink_scanned: 'Signed in ink, scanned',
  verbal_attested: 'Verbal attestation, recorded in session by the clinician',
};

const provenanceResource = (plan: OpenedPlan, revision: number, attestation: Attestation): Provenance => {
  const who = signer(attestation);
  return {
    resourceType: 'Provenance',
    id: `${plan.planId}-r${revision}-${attestation.signerRole}`,
    target: [ref<CarePlan>('CarePlan', plan.planId)],
    occurredDateTime: attestation.signedAt,
    recorded: attestation.signedAt,
    activity: {
      coding: [{ system: FHIR_SYSTEMS.signatureMethod, code: attestation.method, display: SIGNATURE_METHOD_TEXT[attestation.method] }],
      text: SIGNATURE_METHOD_TEXT[attestation.method],
    },
    agent: [{ type: { coding: [{ system: FHIR_SYSTEMS.provenanceParticipant, code: 'attester', display: 'Attester' }] }, who }],
    signature: [{ type: [{ system: FHIR_SYSTEMS.signatureType, ...SIGNATURE_TYPES[attestation.signerRole] }], when: attestation.signedAt, who }],
  };
};

/** The attestations of the revision in effect, one Provenance each. */
const signatures = (plan: OpenedPlan): Provenance[] => {
  const revision = plan.revisions.find((signed) => signed.revision === plan.revisionInEffect);
  return revision ? revision.attestations.map((attestation) => provenanceResource(plan, revision.revision, attestation)) : [];
};

/** The plan as a FHIR R4 collection Bundle: CarePlan, Conditions, Goals, Observations, Provenance. */
export const planToFhir = (plan: OpenedPlan, options: FhirExportOptions): Bundle => {
  const content = exportedContent(plan);
  const resources: Resource[] = [
    carePlanResource(plan, content, options.version),
    ...(content?.diagnoses ?? []).map((diagnosis) => conditionResource(plan, diagnosis)),
    ...(content ? content.goals.map((goal) => goalResource(plan, content, goal)) : []),
    ...plan.assessments.map((assessment) => observationResource(plan, assessment)),
    ...signatures(plan),
  ];
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: options.timestamp,
    entry: resources.map((resource): BundleEntry => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource })),
  };
};
