import type { OpenPlanInput } from './command-inputs';
import {
  DiagnosisCodeInvalid,
  FieldInvalid,
  IdAlreadyUsed,
  NotExactlyOnePrimaryDiagnosis,
  NotFoundInPlan,
  PlanAlreadyOpened,
  PlanNotFound,
  type PlanError,
} from './errors';
import { given, stateAfter } from './testing/given';
import {
  aPlan,
  addGoal,
  CLIENT_ID,
  CLINICIAN_ID,
  command,
  day,
  openPlan,
  openPlanData,
  PAYER_ID,
  PLAN_ID,
  recordAssessment,
  phq9,
} from './testing/plan-builders';

describe('opening a treatment plan', () => {
  test('opens a plan for a client and clinician with its diagnoses, symptoms, impairments and service details', () => {
    given([])
      .when(openPlan())
      .then([
        {
          type: 'PlanOpened',
          data: {
            planId: PLAN_ID,
            clientId: CLIENT_ID,
            clinicianId: CLINICIAN_ID,
            payerId: PAYER_ID,
            revision: 1,
            presentingProblem: openPlanData.presentingProblem,
            strengths: ['Close to her sister', 'Has kept walking the dog'],
            diagnoses: [
              { code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' },
              { code: 'F41.1', rank: 'secondary', description: null },
            ],
            symptoms: openPlanData.symptoms,
            impairments: openPlanData.impairments,
            service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
            openedAt: day(0),
            by: CLINICIAN_ID,
          },
        },
      ]);
  });

  test('a plan for a self-paying client has no payer', () => {
    const [opened] = given([]).when(openPlan({ payerId: null })).thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ payerId: null });
  });

  test('diagnosis codes are kept in their canonical dotted upper-case form, and links follow', () => {
    const [opened] = given([])
      .when(
        openPlan({
          diagnoses: [{ code: 'f321', rank: 'primary' }],
          symptoms: [{ symptomId: 'sx-1', diagnosisCode: 'F32.1', description: 'Low mood' }],
          impairments: [],
        }),
      )
      .thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ diagnoses: [{ code: 'F32.1' }], symptoms: [{ diagnosisCode: 'F32.1' }] });
  });

  test('opening drafts revision 1: the plan is not in effect until both sign it', () => {
    const plan = stateAfter(aPlan().opened().events);
    expect(plan).toMatchObject({ status: 'open', inEffect: null, revisionInEffect: null, draft: { revision: 1, reason: 'initial_plan' } });
  });

  const data = openPlanData;
  test.each<[string, Partial<OpenPlanInput['data']>, abstract new (...args: never[]) => PlanError, Record<string, unknown>]>([
    ['no diagnosis', { diagnoses: [], symptoms: [], impairments: [] }, NotExactlyOnePrimaryDiagnosis, { primaryCount: 0 }],
    ['no primary diagnosis', { diagnoses: [{ code: 'F32.1', rank: 'secondary' }], symptoms: [], impairments: [] }, NotExactlyOnePrimaryDiagnosis, { primaryCount: 0 }],
    [
      'two primary diagnoses',
      { diagnoses: [{ code: 'F32.1', rank: 'primary' }, { code: 'F41.1', rank: 'primary' }] },
      NotExactlyOnePrimaryDiagnosis,
      { primaryCount: 2, code: 'exactly_one_primary_diagnosis' },
    ],
    ['a malformed diagnosis code', { diagnoses: [{ code: 'F3', rank: 'primary' }] }, DiagnosisCodeInvalid, { field: 'diagnoses[0].code' }],
    ['a DSM numeric code', { diagnoses: [{ code: '296.21', rank: 'primary' }] }, DiagnosisCodeInvalid, { field: 'diagnoses[0].code' }],
    [
      'the same diagnosis twice',
      { diagnoses: [{ code: 'F32.1', rank: 'primary' }, { code: 'f32.1', rank: 'secondary' }] },
      FieldInvalid,
      { field: 'diagnoses[1].code' },
    ],
    ['a diagnosis rank that is neither', { diagnoses: [{ code: 'F32.1', rank: 'main' as 'primary' }] }, FieldInvalid, { field: 'diagnoses[0].rank' }],
    [
      'a symptom of a diagnosis not in the plan',
      { symptoms: [{ symptomId: 'sx-1', diagnosisCode: 'F43.10', description: 'Nightmares' }] },
      NotFoundInPlan,
      { code: 'diagnosis_not_found', field: 'symptoms[0].diagnosisCode' },
    ],
    [
      'an impairment of a diagnosis not in the plan',
      { impairments: [{ impairmentId: 'im-1', diagnosisCode: 'F43.10', description: 'Cannot drive' }] },
      NotFoundInPlan,
      { code: 'diagnosis_not_found', field: 'impairments[0].diagnosisCode' },
    ],
    [
      'a symptom of a malformed diagnosis code',
      { symptoms: [{ symptomId: 'sx-1', diagnosisCode: 'F3', description: 'Nightmares' }] },
      DiagnosisCodeInvalid,
      { field: 'symptoms[0].diagnosisCode' },
    ],
    [
      'an impairment of a malformed diagnosis code',
      { impairments: [{ impairmentId: 'im-1', diagnosisCode: '296.21', description: 'Cannot drive' }] },
      DiagnosisCodeInvalid,
      { field: 'impairments[0].diagnosisCode' },
    ],
    [
      'a symptom without a description',
      { symptoms: [{ symptomId: 'sx-1', diagnosisCode: 'F32.1', description: '  ' }] },
      FieldInvalid,
      { field: 'symptoms[0].description' },
    ],
    [
      'two symptoms with one id',
      { symptoms: [data.symptoms[0], { ...data.symptoms[1], symptomId: data.symptoms[0].symptomId }] },
      IdAlreadyUsed,
      { field: 'symptoms[1].symptomId' },
    ],
    [
      'two impairments with one id',
      { impairments: [data.impairments[0], data.impairments[0]] },
      IdAlreadyUsed,
      { field: 'impairments[1].impairmentId' },
    ],
    ['an empty presenting problem', { presentingProblem: '' }, FieldInvalid, { field: 'presentingProblem' }],
    ['a blank strength', { strengths: ['Resilient', ' '] }, FieldInvalid, { field: 'strengths[1]' }],
    ['strengths that are not a list', { strengths: 'resilient' as unknown as string[] }, FieldInvalid, { field: 'strengths' }],
    ['an empty plan id', { planId: '' }, FieldInvalid, { field: 'planId' }],
    ['an empty client id', { clientId: '' }, FieldInvalid, { field: 'clientId' }],
    ['an empty clinician id', { clinicianId: ' ' }, FieldInvalid, { field: 'clinicianId' }],
    ['an empty payer id', { payerId: '' }, FieldInvalid, { field: 'payerId' }],
    ['no treatment type', { service: { ...data.service, sessionType: undefined as never } }, FieldInvalid, { field: 'service.sessionType' }],
    ['an unknown treatment type', { service: { ...data.service, sessionType: 'couples' as never } }, FieldInvalid, { field: 'service.sessionType' }],
    ['a session of 0 minutes', { service: { ...data.service, sessionMinutes: 0 } }, FieldInvalid, { field: 'service.sessionMinutes' }],
    ['a session of 45.5 minutes', { service: { ...data.service, sessionMinutes: 45.5 } }, FieldInvalid, { field: 'service.sessionMinutes' }],
    ['no session frequency', { service: { ...data.service, frequency: undefined as never } }, FieldInvalid, { field: 'service.frequency.count' }],
    [
      'a frequency per fortnight',
      { service: { ...data.service, frequency: { count: 1, per: 'fortnight' as never } } },
      FieldInvalid,
      { field: 'service.frequency.per' },
    ],
    ['no expected duration', { service: { ...data.service, expectedDurationWeeks: 0 } }, FieldInvalid, { field: 'service.expectedDurationWeeks' }],
    ['no service details at all', { service: undefined }, FieldInvalid, { field: 'service.sessionType' }],
  ])('opening with %s is refused', (_name, overrides, errorType, expected) => {
    given([]).when(openPlan(overrides)).thenThrows(errorType, expected);
  });

  test('a plan is opened only once', () => {
    given(aPlan().opened().events).when(openPlan()).thenThrows(PlanAlreadyOpened, { code: 'plan_already_opened', kind: 'conflict' });
  });

  test.each([
    ['adding a goal', addGoal()],
    ['recording an assessment', recordAssessment('a-1', 'PHQ-9', phq9(10))],
    ['closing', command('ClosePlan', { reason: 'administrative' })],
  ])('%s before the plan is opened is refused', (_name, next) => {
    given([]).when(next).thenThrows(PlanNotFound, { code: 'plan_not_found', kind: 'not_found' });
  });

  test('a closed plan refuses to be opened again', () => {
    const closed = aPlan().opened().run(command('ClosePlan', { reason: 'client_withdrew' })).events;
    given(closed).when(openPlan()).thenThrows(PlanAlreadyOpened);
  });
});
