import type { Bundle, CarePlan, Condition, Goal, Observation, Provenance, Resource } from '@medplum/fhirtypes';
import { stateAfter } from '../../domain/testing/given';
import { aPlan, CLIENT_ID, CLINICIAN_ID, day, gad7, phq9, PLAN_ID, sign } from '../../domain/testing/plan-builders';
import type { OpenedPlan } from '../../domain/plan-state';
import { planToFhir } from './plan-to-fhir';
import { fhirValidationErrors } from './testing/fhir-validator';

const BASE = 'https://plan.example/plans/plan-1/fhir';
const exported = (plan: OpenedPlan, version = 7): Bundle => planToFhir(plan, { baseUrl: BASE, timestamp: day(30), version });
const opened = (events: Parameters<typeof stateAfter>[0]) => stateAfter(events) as OpenedPlan;
const of = <T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] =>
  (bundle.entry ?? []).map((entry) => entry.resource).filter((resource): resource is T => resource?.resourceType === type);

describe('a plan as a FHIR R4 Bundle', () => {
  const story = aPlan()
    .inEffect(day(0))
    .assessed('a-1', 'PHQ-9', phq9(16), day(7))
    .assessed('a-2', 'GAD-7', gad7(11), day(7))
    .assessed('a-3', 'PHQ-9', phq9(12), day(14));
  const bundle = exported(opened(story.events));

  test('every entry, and the bundle, validates against the FHIR R4 definitions', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: day(30) });
    expect(fhirValidationErrors(bundle)).toEqual([]);
    for (const entry of bundle.entry ?? []) expect({ url: entry.fullUrl, errors: fhirValidationErrors(entry.resource as Resource) }).toEqual({ url: entry.fullUrl, errors: [] });
    expect((bundle.entry ?? []).map((entry) => entry.fullUrl)).toContain(`${BASE}/CarePlan/${PLAN_ID}`);
  });

  test('the validator is real: a Goal without its lifecycleStatus, in the bundle or alone, or an unknown property is refused', () => {
    const [goal] = of<Goal>(bundle, 'Goal');
    const { lifecycleStatus: _, ...withoutStatus } = goal;
    expect(fhirValidationErrors(withoutStatus as Goal)).not.toEqual([]);
    const broken = { ...bundle, entry: [...(bundle.entry ?? []), { fullUrl: `${BASE}/Goal/g-x`, resource: { ...withoutStatus, id: 'g-x' } as Goal }] };
    expect(fhirValidationErrors(broken)).toEqual([expect.objectContaining({ severity: 'error', expression: [expect.stringContaining('lifecycleStatus')] })]);
    const [carePlan] = of<CarePlan>(bundle, 'CarePlan');
    expect(fhirValidationErrors({ ...carePlan, wish: true } as CarePlan)).not.toEqual([]);
  });

  test('the CarePlan is active, for the client, by the clinician, and addresses the Condition entries', () => {
    const [carePlan] = of<CarePlan>(bundle, 'CarePlan');
    expect(carePlan).toMatchObject({
      id: PLAN_ID,
      status: 'active',
      intent: 'plan',
      subject: { reference: `Patient/${CLIENT_ID}` },
      author: { reference: `Practitioner/${CLINICIAN_ID}` },
      period: { start: day(0) },
      meta: { versionId: '7' },
      goal: [{ reference: 'Goal/g-1' }],
    });
    const conditions = of<Condition>(bundle, 'Condition');
    expect(conditions.map((condition) => condition.code?.coding?.[0])).toEqual([
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F32.1' },
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F41.1' },
    ]);
    expect(carePlan.addresses).toEqual(conditions.map((condition) => ({ reference: `Condition/${condition.id}` })));
    expect(carePlan.activity).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          status: 'in-progress',
          goal: [{ reference: 'Goal/g-1' }],
          code: expect.objectContaining({ coding: [expect.objectContaining({ code: 'behavioural_activation' })] }),
          scheduledTiming: { repeat: { frequency: 1, period: 1, periodUnit: 'wk' } },
        }),
      }),
    ]);
  });

  test('the Goal carries its description, status and the PHQ-9 target by its due date', () => {
    const [goal] = of<Goal>(bundle, 'Goal');
    expect(goal).toMatchObject({
      id: 'g-1',
      lifecycleStatus: 'active',
      achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'in-progress' }] },
      description: { text: 'Reduce depressive symptoms and restore social functioning through behavioural activation' },
      subject: { reference: `Patient/${CLIENT_ID}` },
      // Linked to a symptom and an impairment of F32.1: the goal addresses that Condition.
      addresses: [{ reference: 'Condition/F32.1' }],
    });
    expect(goal.target).toEqual([
      {
        measure: expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://loinc.org', code: '44261-6' })] }),
        detailQuantity: expect.objectContaining({ value: 9, comparator: '<=' }),
        dueDate: '2025-06-02',
      },
    ]);
  });

  test('each assessment is an Observation with its LOINC code, time, total and band', () => {
    const observations = of<Observation>(bundle, 'Observation');
    expect(observations.map((observation) => [observation.id, observation.code.coding?.[0].code, observation.effectiveDateTime, observation.valueInteger])).toEqual([
      ['a-1', '44261-6', day(7), 16],
      ['a-2', '70274-6', day(7), 11],
      ['a-3', '44261-6', day(14), 12],
    ]);
    expect(observations[2]).toMatchObject({
      status: 'final',
      subject: { reference: `Patient/${CLIENT_ID}` },
      interpretation: [{ coding: [expect.objectContaining({ code: 'moderate' })], text: 'Moderate' }],
    });
    expect(observations[0].interpretation?.[0].coding?.[0].code).toBe('moderately_severe');
  });

  test('the signed revision in effect gives two Provenance, client and clinician, on the CarePlan', () => {
    const provenance = of<Provenance>(bundle, 'Provenance');
    expect(provenance).toHaveLength(2);
    expect(provenance.map((entry) => entry.signature?.[0].who.reference).sort()).toEqual([`Patient/${CLIENT_ID}`, `Practitioner/${CLINICIAN_ID}`].sort());
    for (const entry of provenance) {
      expect(entry).toMatchObject({ target: [{ reference: `CarePlan/${PLAN_ID}` }], recorded: day(0) });
      expect(entry.signature?.[0]).toMatchObject({ when: day(0), type: [expect.objectContaining({ system: 'urn:iso-astm:E1762-95:2013' })] });
      expect(entry.agent[0].who).toEqual(entry.signature?.[0].who);
    }
    const client = provenance.find((entry) => entry.signature?.[0].who.reference === `Patient/${CLIENT_ID}`);
    expect(client?.signature?.[0].type[0].code).toBe('1.2.840.10065.1.12.1.7');
  });

  test('a plan never signed is a draft CarePlan without Provenance, and still valid', () => {
    const draft = exported(opened(aPlan().opened().withGoal().withObjective().events));
    expect(of<CarePlan>(draft, 'CarePlan')[0].status).toBe('draft');
    expect(of<Provenance>(draft, 'Provenance')).toEqual([]);
    expect(fhirValidationErrors(draft)).toEqual([]);
  });

  test('with a revision 2 in draft, the export is revision 1 and its signatures', () => {
    const revising = story.revising({}, day(20)).withGoal({ goalId: 'g-2' }, day(20)).run(sign('client', 2, day(21)));
    const revisingBundle = exported(opened(revising.events));
    expect(of<Goal>(revisingBundle, 'Goal').map((goal) => goal.id)).toEqual(['g-1']);
    expect(of<Provenance>(revisingBundle, 'Provenance').map((entry) => entry.id).sort()).toEqual([`${PLAN_ID}-r1-client`, `${PLAN_ID}-r1-clinician`]);
  });
});
