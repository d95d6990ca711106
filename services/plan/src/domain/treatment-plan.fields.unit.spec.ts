import type { PlanCommandInput } from './command-inputs';
import { AssessmentInvalid, CollectionFull, DateOutOfRange, DiagnosisCodeInvalid, FieldInvalid, IdAlreadyUsed, NotActive, NotFoundInPlan, ObjectiveNotMeasurable, type PlanError } from './errors';
import { PLAN_LIMITS } from './plan-limits';
import { given } from './testing/given';
import type { PlanEvent } from './events';
import {
  addGoal,
  addIntervention,
  addObjective,
  aPlan,
  command,
  openPlan,
  openPlanData,
  phq9,
  proposeRevision,
  recordAssessment,
} from './testing/plan-builders';

// A field the command gets wrong is refused on that field (field_invalid, 400), with a sentence that says what is
// wanted (docs/errors.md, docs/input-limits.md). Each history is built inside its test.

const fieldInvalid = (field: string, message: string) => ({ code: 'field_invalid', kind: 'invalid', field, reason: message, message });

describe('fields of the plan as it opens', () => {
  test.each<[string, Partial<Parameters<typeof openPlan>[0]>, string, string]>([
    ['a diagnosis listed twice', { diagnoses: [{ code: 'F32.1', rank: 'primary' }, { code: 'f321', rank: 'secondary' }] }, 'diagnoses[1].code', 'F32.1 is listed twice.'],
    ['a rank that is neither', { diagnoses: [{ code: 'F32.1', rank: 'main' as 'primary' }] }, 'diagnoses[0].rank', "The rank must be 'primary' or 'secondary'."],
    ['diagnoses that are not a list', { diagnoses: 'F32.1' as never }, 'diagnoses', 'The diagnoses must be a list.'],
    ['a symptom id of spaces', { symptoms: [{ symptomId: ' ', diagnosisCode: 'F32.1', description: 'Low mood' }] }, 'symptoms[0].symptomId', 'symptoms[0].symptomId must be a non-empty identifier.'],
    ['an id with a space around it', { clientId: ' client-1' }, 'clientId', 'clientId must be a non-empty identifier.'],
    ['an impairment without a description', { impairments: [{ impairmentId: 'im-1', diagnosisCode: 'F32.1', description: '' }] }, 'impairments[0].description', 'The functional impairment is required.'],
    ['no presenting problem', { presentingProblem: '   ' }, 'presentingProblem', 'The presenting problem is required.'],
    ['a presenting problem of 4001 characters', { presentingProblem: 'x'.repeat(4001) }, 'presentingProblem', 'The presenting problem is longer than 4000 characters.'],
    ['a blank strength', { strengths: ['Kind', ''] }, 'strengths[1]', 'A strength is required.'],
    ['a diagnosis description of 501 characters', { diagnoses: [{ code: 'F32.1', rank: 'primary', description: 'x'.repeat(501) }] }, 'diagnoses[0].description', 'The description is longer than 500 characters.'],
    [
      'a session type the contract does not know',
      { service: { ...openPlanData.service, sessionType: 'couples' as never } },
      'service.sessionType',
      'The treatment type must be one of individual, group, family.',
    ],
    [
      'sessions of 0 minutes',
      { service: { ...openPlanData.service, sessionMinutes: 0 } },
      'service.sessionMinutes',
      'The session length in minutes must be a whole number from 1 to 480.',
    ],
    [
      'a session of 480.5 minutes',
      { service: { ...openPlanData.service, sessionMinutes: 480.5 } },
      'service.sessionMinutes',
      'The session length in minutes must be a whole number from 1 to 480.',
    ],
    [
      '32 sessions a month',
      { service: { ...openPlanData.service, frequency: { count: 32, per: 'month' } } },
      'service.frequency.count',
      'The number of sessions must be a whole number from 1 to 31.',
    ],
    [
      'sessions per day',
      { service: { ...openPlanData.service, frequency: { count: 1, per: 'day' as never } } },
      'service.frequency.per',
      'The frequency period must be one of week, month.',
    ],
    [
      'an expected duration of 521 weeks',
      { service: { ...openPlanData.service, expectedDurationWeeks: 521 } },
      'service.expectedDurationWeeks',
      'The expected duration in weeks must be a whole number from 1 to 520.',
    ],
    ['no service details', { service: undefined as never }, 'service.sessionType', 'The treatment type must be one of individual, group, family.'],
  ])('%s is field_invalid, saying what is wanted', (_name, data, field, message) => {
    given([]).when(openPlan(data)).thenThrows(FieldInvalid, fieldInvalid(field, message));
  });

  test('the edges of the service ranges are accepted: 1 to 480 minutes, 1 to 31 sessions, 1 to 520 weeks', () => {
    for (const service of [
      { sessionType: 'group', sessionMinutes: 1, frequency: { count: 1, per: 'month' }, expectedDurationWeeks: 1 },
      { sessionType: 'family', sessionMinutes: 480, frequency: { count: 31, per: 'week' }, expectedDurationWeeks: 520 },
    ] as const) {
      const [opened] = given([]).when(openPlan({ service })).thenTypes(['PlanOpened']);
      expect(opened.data).toMatchObject({ service });
    }
  });

  test('text is kept trimmed; a blank optional description is none', () => {
    const [opened] = given([])
      .when(openPlan({ presentingProblem: '  Low mood  ', strengths: [' Kind '], diagnoses: [{ code: 'F32.1', rank: 'primary', description: ' \u200b ' }], symptoms: [], impairments: [] }))
      .thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ presentingProblem: 'Low mood', strengths: ['Kind'], diagnoses: [{ code: 'F32.1', description: null }] });
  });

  test('a malformed diagnosis code is diagnosis_code_invalid on the code, with the reason of the ICD-10-CM reading', () => {
    const error = given([]).when(openPlan({ diagnoses: [{ code: 'F3', rank: 'primary' }], symptoms: [], impairments: [] })).thenThrows(DiagnosisCodeInvalid, {
      code: 'diagnosis_code_invalid',
      kind: 'invalid',
      field: 'diagnoses[0].code',
    });
    expect(error.message).toBe(error.reason);
    expect(error.message).toMatch(/ICD-10-CM|dot/);
  });
});

describe('fields of revisions and their content', () => {
  test.each<[string, PlanCommandInput, string, string]>([
    ['the reason of the first revision', proposeRevision({ reason: 'initial_plan' }), 'reason', "'initial_plan' is the reason of revision 1 only; name what this revision answers."],
    ['an unknown reason', proposeRevision({ reason: 'whim' as never }), 'reason', 'The reason for the revision must be one of initial_plan, symptom_change, goal_met, objective_met, life_event, scheduled_review, payer_requirement, client_request, clinical_judgement, correction.'],
    ['triggers that are not a list', proposeRevision({ triggers: 'GoalMet' as never }), 'triggers', 'The triggers must be a list.'],
    ['an unknown trigger type', proposeRevision({ triggers: [{ type: 'Whim' as never, id: 'x' }] }), 'triggers[0].type', 'The trigger type must be one of SymptomsChanged, GoalMet, ObjectiveMet, LifeEventReported.'],
    ['a trigger without an id', proposeRevision({ triggers: [{ type: 'GoalMet', id: '' }] }), 'triggers[0].id', 'triggers[0].id must be a non-empty identifier.'],
    ['a note of 4001 characters', proposeRevision({ note: 'x'.repeat(4001) }), 'note', 'The note is longer than 4000 characters.'],
  ])('proposing with %s is field_invalid', (_name, next, field, message) => {
    given(aPlan().inEffect().events).when(next).thenThrows(FieldInvalid, fieldInvalid(field, message));
  });

  test('the same trigger twice is field_invalid on the second', () => {
    const met = aPlan()
      .opened()
      .withGoal()
      .withGoal({ goalId: 'g-2' })
      .withObjective()
      .signedByBoth()
      .run(command('MarkGoalMet', { goalId: 'g-2' }));
    const twice = proposeRevision({ triggers: [{ type: 'GoalMet', id: 'g-2' }, { type: 'GoalMet', id: 'g-2' }] });
    given(met.events).when(twice).thenThrows(FieldInvalid, fieldInvalid('triggers[1]', 'GoalMet g-2 is listed twice.'));
  });

  test.each<[string, PlanCommandInput, string, string]>([
    ['a revision of a goal that says nothing to revise', command('ReviseGoal', { goalId: 'g-1' }), 'goalId', 'Say what to revise: the client goal, the clinical goal or what the goal addresses.'],
    ['a revision of an objective that says nothing to revise', command('ReviseObjective', { objectiveId: 'o-1' }), 'objectiveId', 'Say what to revise: the description, the measure or the target date.'],
    ['a clinical goal of 2001 characters', command('ReviseGoal', { goalId: 'g-1', clinicalGoal: 'x'.repeat(2001) }), 'clinicalGoal', 'The clinical goal is longer than 2000 characters.'],
    ['a blank objective', command('ReviseObjective', { objectiveId: 'o-1', description: ' ' }), 'description', 'The objective is required.'],
    ['a link of an unknown kind', addGoal({ goalId: 'g-2', addresses: [{ kind: 'strength' as never, id: 'x' }] }), 'addresses[0].kind', 'What the goal addresses must be one of diagnosis, symptom, impairment.'],
    ['a goal id of spaces', addGoal({ goalId: '  ' }), 'goalId', 'goalId must be a non-empty identifier.'],
    ['an intervention of an unknown modality', addIntervention({ interventionId: 'i-2', modality: 'astrology' as never }), 'modality', expect.stringMatching(/^The modality must be one of /) as never],
    [
      "an intervention of modality 'other' without a description",
      addIntervention({ interventionId: 'i-2', modality: 'other' }),
      'description',
      "An intervention of modality 'other' needs a description; it is required.",
    ],
    ['an intervention description of 2001 characters', addIntervention({ interventionId: 'i-2', description: 'x'.repeat(2001) }), 'description', 'The description is longer than 2000 characters.'],
    ['a new symptom without a description', command('AddSymptom', { symptomId: 'sx-9', diagnosisCode: 'F32.1', description: '' }), 'description', 'The symptom is required.'],
    ['a reason of 4001 characters for discontinuing', command('DiscontinueGoal', { goalId: 'g-1', reason: 'x'.repeat(4001) }), 'reason', 'The reason is longer than 4000 characters.'],
    ['a target date that is no date', addObjective({ objectiveId: 'o-2', targetDate: '2025-02-30' }), 'targetDate', 'The target date must be a calendar date written YYYY-MM-DD.'],
  ])('%s is field_invalid', (_name, next, field, message) => {
    given(aPlan().opened().withGoal().withObjective().withIntervention().events).when(next).thenThrows(FieldInvalid, fieldInvalid(field, message));
  });

  test("an intervention of modality 'other' keeps its description trimmed; another keeps none when it is blank", () => {
    const drafting = aPlan().opened().withGoal().withObjective();
    const [other] = given(drafting.events).when(addIntervention({ modality: 'other', description: ' Walking group ' })).thenTypes(['InterventionAdded']);
    expect(other.data).toMatchObject({ intervention: { modality: 'other', description: 'Walking group' } });
    const [plain] = given(drafting.events).when(addIntervention({ description: '  ' })).thenTypes(['InterventionAdded']);
    expect(plain.data).toMatchObject({ intervention: { modality: 'behavioural_activation', description: null } });
  });

  test.each<[string, string]>([
    ['2028-02-29', 'a leap day'],
    ['2025-12-31', 'the last day of a year'],
  ])('a target date of %s (%s) is a calendar date', (targetDate) => {
    const [added] = given(aPlan().opened().withGoal().events).when(addObjective({ targetDate })).thenTypes(['ObjectiveAdded']);
    expect(added.data).toMatchObject({ objective: { targetDate } });
  });

  test.each(['2025-13-01', '2025-00-10', '2025-04-31', '2027-02-29', '2025-04-00', '2025-4-1', ' 2025-04-01', '20250401'])('%j is not a calendar date written YYYY-MM-DD', (targetDate) => {
    given(aPlan().opened().withGoal().events)
      .when(addObjective({ targetDate }))
      .thenThrows(FieldInvalid, fieldInvalid('targetDate', 'The target date must be a calendar date written YYYY-MM-DD.'));
  });
});

describe('fields of what is recorded on a plan in effect', () => {
  const report = (data: Record<string, unknown>): PlanCommandInput =>
    command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'bereavement', impact: 'major', occurredOn: null, description: 'Her father died', ...data } as never);

  test.each<[string, PlanCommandInput, string, string]>([
    ['a life event of an unknown category', report({ category: 'weather' }), 'category', expect.stringMatching(/^The life-event category must be one of bereavement, relationship_change, .*, other\.$/) as never],
    ['a life event of an unknown impact', report({ impact: 'huge' }), 'impact', 'The impact must be one of minor, moderate, major.'],
    ['a life event on no calendar date', report({ occurredOn: 'last week' }), 'occurredOn', 'The date of the life event must be a calendar date written YYYY-MM-DD.'],
    ['a life event without a description', report({ description: '' }), 'description', 'What happened is required.'],
    ['a life event id of spaces', report({ lifeEventId: ' ' }), 'lifeEventId', 'lifeEventId must be a non-empty identifier.'],
    ['a discharge for an unknown reason', command('ClosePlan', { reason: 'bored' as never }), 'reason', expect.stringMatching(/^The discharge reason must be one of treatment_completed, client_withdrew, /) as never],
    ['a discharge note of 4001 characters', command('ClosePlan', { reason: 'transferred', note: 'x'.repeat(4001) }), 'note', 'The note is longer than 4000 characters.'],
    [
      'a signature of an unknown role',
      command('SignRevision', { revision: 2, signerRole: 'guardian' as never, signerId: 'client-1', method: 'electronic' }),
      'signerRole',
      'The signer role must be one of client, clinician.',
    ],
    [
      'a signature by an unknown method',
      command('SignRevision', { revision: 2, signerRole: 'client', signerId: 'client-1', method: 'smoke' as never }),
      'method',
      'The signature method must be one of electronic, wet_ink_scanned, verbal_attested.',
    ],
    ['a withdrawal note of 4001 characters', command('WithdrawRevision', { revision: 2, note: 'x'.repeat(4001) }), 'note', 'The note is longer than 4000 characters.'],
  ])('%s is field_invalid', (_name, next, field, message) => {
    given(aPlan().inEffect().revising().withGoal({ goalId: 'g-2' }).events).when(next).thenThrows(FieldInvalid, fieldInvalid(field, message));
  });

  test('a real date the plan cannot hold is date_out_of_range, a request error (400) like a malformed one', () => {
    given(aPlan().inEffect().events)
      .when(report({ occurredOn: '2025-03-04' }))
      .thenThrows(DateOutOfRange, {
        code: 'date_out_of_range',
        kind: 'invalid',
        field: 'occurredOn',
        message: 'A life event is reported once it has happened; the date is in the future.',
      });
  });

  test('optional text left out, null or blank is none', () => {
    const drafting = aPlan().inEffect().revising();
    for (const description of [undefined, null, '  ']) {
      const [added] = given(drafting.events).when(command('AddDiagnosis', { code: 'F43.10', ...(description === undefined ? {} : { description }) })).thenTypes(['DiagnosisAdded']);
      expect(added.data).toMatchObject({ diagnosis: { code: 'F43.10', description: null } });
    }
    const [withdrawn] = given(drafting.events).when(command('WithdrawRevision', { revision: 2, note: null as never })).thenTypes(['RevisionWithdrawn']);
    expect(withdrawn.data).toMatchObject({ note: null });
  });

  test('optional text that is not text is refused, not taken as none', () => {
    given(aPlan().inEffect().revising().events)
      .when(command('AddDiagnosis', { code: 'F43.10', description: [] as never }))
      .thenThrows(FieldInvalid, fieldInvalid('description', 'The description is required.'));
  });

  test(`a plan opens with up to ${PLAN_LIMITS.strengths} strengths`, () => {
    const strengths = Array.from({ length: PLAN_LIMITS.strengths }, (_, i) => `Strength ${i}`);
    const [opened] = given([]).when(openPlan({ strengths })).thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ strengths });
  });
});

describe('measures that make an objective measurable (objective_not_measurable)', () => {
  const notMeasurable = (field: string, message: string) => ({ code: 'objective_not_measurable', kind: 'invalid', field, reason: message, message });

  test.each<[string, unknown, string, string]>([
    ['an unknown instrument', { kind: 'instrument', instrument: 'BDI-II', baseline: 20, target: 10 }, 'measure.instrument', 'The instrument must be one of PHQ-9, GAD-7.'],
    ['a PHQ-9 baseline above 27', { kind: 'instrument', instrument: 'PHQ-9', baseline: 28, target: 10 }, 'measure.baseline', 'The baseline must be a PHQ-9 total from 0 to 27.'],
    ['a GAD-7 target below 0', { kind: 'instrument', instrument: 'GAD-7', baseline: 15, target: -1 }, 'measure.target', 'The target must be a GAD-7 total from 0 to 21.'],
    ['a fractional target', { kind: 'instrument', instrument: 'PHQ-9', baseline: 15, target: 4.5 }, 'measure.target', 'The target must be a PHQ-9 total from 0 to 27.'],
    ['a target as high as the baseline', { kind: 'instrument', instrument: 'PHQ-9', baseline: 12, target: 12 }, 'measure.target', 'A PHQ-9 target must be lower than the baseline: a lower total means fewer symptoms.'],
    ['an unknown unit', { kind: 'behavioural', description: 'Walks', unit: 'steps', baseline: 1, target: 2 }, 'measure.unit', expect.stringMatching(/^The unit must be one of count_per_day, count_per_week, /) as never],
    ['a behavioural measure that counts nothing', { kind: 'behavioural', description: ' ', unit: 'days_per_week', baseline: 1, target: 3 }, 'measure.description', 'Say what the behavioural measure counts.'],
    ['a target equal to the baseline', { kind: 'behavioural', description: 'Days out', unit: 'days_per_week', baseline: 3, target: 3 }, 'measure.target', 'The target must differ from the baseline, or there is nothing to achieve.'],
    ['a baseline that is no number', { kind: 'behavioural', description: 'Days out', unit: 'days_per_week', baseline: Number.NaN, target: 3 }, 'measure.baseline', 'The baseline must be a number from 0 to 7 days a week.'],
    [
      'what is counted in 501 characters',
      { kind: 'behavioural', description: 'x'.repeat(501), unit: 'rating_0_10', baseline: 8, target: 3 },
      'measure.description',
      'What the measure counts is longer than 500 characters.',
    ],
    ['a measure of neither kind', { kind: 'feeling' }, 'measure.kind', "A measure is either an 'instrument' or a 'behavioural' measure."],
    ['a behavioural measure without a description', { kind: 'behavioural', unit: 'days_per_week', baseline: 1, target: 3 }, 'measure.description', 'Say what the behavioural measure counts.'],
  ])('%s is refused on the measure', (_name, measure, field, message) => {
    given(aPlan().opened().withGoal().events)
      .when(addObjective({ measure: measure as never }))
      .thenThrows(ObjectiveNotMeasurable, notMeasurable(field, message));
  });

  test('an instrument measure keeps its LOINC; a behavioural one its trimmed description, and may aim up or down', () => {
    const drafting = aPlan().opened().withGoal();
    const [instrument] = given(drafting.events)
      .when(addObjective({ measure: { kind: 'instrument', instrument: 'GAD-7', baseline: 21, target: 0 } }))
      .thenTypes(['ObjectiveAdded']);
    expect(instrument.data).toMatchObject({ objective: { measure: { kind: 'instrument', instrument: 'GAD-7', loinc: '70274-6', baseline: 21, target: 0 } } });
    const [more] = given(drafting.events)
      .when(addObjective({ measure: { kind: 'behavioural', description: ' Days out ', unit: 'days_per_week', baseline: 1, target: 4 } }))
      .thenTypes(['ObjectiveAdded']);
    expect(more.data).toMatchObject({ objective: { measure: { kind: 'behavioural', description: 'Days out', unit: 'days_per_week', baseline: 1, target: 4 } } });
  });

  test('what a behavioural measure counts takes up to 500 characters', () => {
    const description = 'x'.repeat(500);
    const [added] = given(aPlan().opened().withGoal().events)
      .when(addObjective({ measure: { kind: 'behavioural', description, unit: 'percent', baseline: 0, target: 100 } }))
      .thenTypes(['ObjectiveAdded']);
    expect(added.data).toMatchObject({ objective: { measure: { description } } });
  });

  test('a revision can take the measure away, or give a new one', () => {
    const withObjective = aPlan().opened().withGoal().withObjective();
    const [cleared] = given(withObjective.events).when(command('ReviseObjective', { objectiveId: 'o-1', measure: null })).thenTypes(['ObjectiveRevised']);
    expect(cleared.data).toMatchObject({ measure: null, targetDate: '2025-06-02', description: 'PHQ-9 below 10 by June' });
    const [renewed] = given(withObjective.events)
      .when(command('ReviseObjective', { objectiveId: 'o-1', measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 20, target: 4 } }))
      .thenTypes(['ObjectiveRevised']);
    expect(renewed.data).toMatchObject({ measure: { kind: 'instrument', loinc: '44261-6', baseline: 20, target: 4 } });
  });
});

describe('an assessment refused (assessment_invalid)', () => {
  test('names every problem on its own field, the first as the field at fault, and says them all in one sentence', () => {
    const error = given(aPlan().inEffect().events)
      .when(recordAssessment('a-1', 'PHQ-9', [4, 2.5, 0, 0, 0, 0, 0, 0, 0]))
      .thenThrows(AssessmentInvalid, { code: 'assessment_invalid', kind: 'invalid', field: 'items[0]' });
    expect(error.problems).toEqual([
      { field: 'items[0]', reason: 'PHQ-9 item 1 must be from 0 to 3; got 4.' },
      { field: 'items[1]', reason: 'PHQ-9 item 2 must be a whole number from 0 to 3; got 2.5.' },
    ]);
    expect(error.message).toBe('The assessment was not recorded: PHQ-9 item 1 must be from 0 to 3; got 4. PHQ-9 item 2 must be a whole number from 0 to 3; got 2.5.');
  });

  test('an assessment id of spaces is field_invalid', () => {
    given(aPlan().inEffect().events)
      .when(recordAssessment(' ', 'PHQ-9', phq9(4)))
      .thenThrows(FieldInvalid, fieldInvalid('assessmentId', 'assessmentId must be a non-empty identifier.'));
  });
});

describe('a full revision (collection_full) says which list, its limit and how to go on', () => {
  test.each<[string, (n: number) => PlanCommandInput, number, string, string, string]>([
    [
      'symptoms',
      (i) => command('AddSymptom', { symptomId: `sx-${i}`, diagnosisCode: 'F32.1', description: 'Poor sleep' }),
      PLAN_LIMITS.symptoms - openPlanData.symptoms.length,
      'symptoms',
      'This revision already has 50 symptoms, the most a plan can hold; remove one that no goal addresses before adding another.',
      'symptoms',
    ],
    [
      'impairments',
      (i) => command('AddImpairment', { impairmentId: `im-${i}`, diagnosisCode: 'F32.1', description: 'Missing work' }),
      PLAN_LIMITS.impairments - openPlanData.impairments.length,
      'impairments',
      'This revision already has 50 impairments, the most a plan can hold; remove one that no goal addresses before adding another.',
      'impairments',
    ],
    [
      'goals',
      (i) => addGoal({ goalId: `g-${i}` }),
      PLAN_LIMITS.goals,
      'goals',
      'This revision already has 50 goals, the most a plan can hold; met and discontinued goals count too, so revise an existing goal instead.',
      'goals',
    ],
    [
      'active interventions',
      (i) => addIntervention({ interventionId: `i-${i}` }),
      PLAN_LIMITS.activeInterventions,
      'active_interventions',
      'This revision already has 50 active interventions, the most a plan can hold; discontinue one before adding another.',
      'interventions',
    ],
  ])('%s', (_name, add, count, collection, message, field) => {
    const base = collection === 'active_interventions' ? aPlan().opened().withGoal({ goalId: 'g-main' }).withObjective({ goalId: 'g-main' }) : aPlan().opened();
    const full = base.run(...Array.from({ length: count }, (_, i) => add(i)));
    const error = given(full.events).when(add(999)).thenThrows(CollectionFull, { code: 'collection_full', kind: 'conflict', field, message, collection });
    expect(error.extensions).toEqual({ collection, limit: 50 });
  });

  test('objectives', () => {
    const full = aPlan()
      .opened()
      .withGoal()
      .run(...Array.from({ length: PLAN_LIMITS.objectives }, (_, i) => addObjective({ objectiveId: `o-${i}` })));
    given(full.events).when(addObjective({ objectiveId: 'o-more' })).thenThrows(CollectionFull, {
      field: 'objectives',
      message: 'This revision already has 200 objectives, the most a plan can hold; met and discontinued objectives count too, so revise an existing objective instead.',
    });
  });
});

describe('every refusal names the field as the command names it (docs/errors.md)', () => {
  const long = 'x'.repeat(4001);
  type Row = [string, () => readonly PlanEvent[], PlanCommandInput, abstract new (...args: never[]) => PlanError, string, string];
  const opening = (): readonly PlanEvent[] => [];
  const drafting = () => aPlan().inEffect().revising().events;
  const done = () =>
    aPlan()
      .opened()
      .withGoal()
      .withGoal({ goalId: 'g-2' })
      .withObjective()
      .withObjective({ objectiveId: 'o-2' })
      .signedByBoth()
      .run(command('MarkGoalMet', { goalId: 'g-2' }), command('MarkObjectiveMet', { objectiveId: 'o-2' })).events;
  const sx = openPlanData.symptoms;
  const im = openPlanData.impairments[0];

  test.each<Row>([
    ['a symptom id used twice at opening', opening, openPlan({ symptoms: [sx[0], { ...sx[1], symptomId: sx[0].symptomId }] }), IdAlreadyUsed, 'symptoms[1].symptomId', 'This plan already has a symptom sx-low-mood.'],
    ['a symptom without a description at opening', opening, openPlan({ symptoms: [{ ...sx[0], description: '' }] }), FieldInvalid, 'symptoms[0].description', 'The symptom is required.'],
    ['impairments that are not a list', opening, openPlan({ impairments: {} as never }), FieldInvalid, 'impairments', 'The functional impairments must be a list.'],
    ['an impairment without an id at opening', opening, openPlan({ impairments: [{ ...im, impairmentId: '' }] }), FieldInvalid, 'impairments[0].impairmentId', 'impairments[0].impairmentId must be a non-empty identifier.'],
    ['an impairment id used twice at opening', opening, openPlan({ impairments: [im, im] }), IdAlreadyUsed, 'impairments[1].impairmentId', 'This plan already has a functional impairment im-home.'],
    ['a goal id that is no text', drafting, addGoal({ goalId: 7 as never }), FieldInvalid, 'goalId', 'goalId must be a non-empty identifier.'],
    ['a diagnosis description of 501 characters', drafting, command('AddDiagnosis', { code: 'F43.10', description: 'x'.repeat(501) }), FieldInvalid, 'description', 'The description is longer than 500 characters.'],
    ['removing a malformed diagnosis code', drafting, command('RemoveDiagnosis', { code: 'F3' }), DiagnosisCodeInvalid, 'code', expect.any(String) as never],
    ['removing a diagnosis the plan does not have', drafting, command('RemoveDiagnosis', { code: 'F43.10' }), NotFoundInPlan, 'code', 'This plan has no diagnosis F43.10.'],
    ['a new symptom of a malformed diagnosis code', drafting, command('AddSymptom', { symptomId: 'sx-9', diagnosisCode: 'F3', description: 'Early waking' }), DiagnosisCodeInvalid, 'diagnosisCode', expect.any(String) as never],
    ['a new impairment of a malformed diagnosis code', drafting, command('AddImpairment', { impairmentId: 'im-9', diagnosisCode: 'F3', description: 'Stays in' }), DiagnosisCodeInvalid, 'diagnosisCode', expect.any(String) as never],
    ['a new symptom without an id', drafting, command('AddSymptom', { symptomId: '', diagnosisCode: 'F32.1', description: 'Early waking' }), FieldInvalid, 'symptomId', 'symptomId must be a non-empty identifier.'],
    ['a new symptom of a diagnosis not in the plan', drafting, command('AddSymptom', { symptomId: 'sx-9', diagnosisCode: 'F43.10', description: 'Nightmares' }), NotFoundInPlan, 'diagnosisCode', 'This plan has no diagnosis F43.10.'],
    ['a new impairment without an id', drafting, command('AddImpairment', { impairmentId: '', diagnosisCode: 'F32.1', description: 'Stays in' }), FieldInvalid, 'impairmentId', 'impairmentId must be a non-empty identifier.'],
    ['a new impairment of a diagnosis not in the plan', drafting, command('AddImpairment', { impairmentId: 'im-9', diagnosisCode: 'F43.10', description: 'Cannot drive' }), NotFoundInPlan, 'diagnosisCode', 'This plan has no diagnosis F43.10.'],
    ['a new impairment without a description', drafting, command('AddImpairment', { impairmentId: 'im-9', diagnosisCode: 'F32.1', description: ' ' }), FieldInvalid, 'description', 'The functional impairment is required.'],
    ['a client goal revised to nothing', drafting, command('ReviseGoal', { goalId: 'g-1', clientGoal: '' }), FieldInvalid, 'clientGoal', "The client goal, in the client's own words, is required."],
    ['a new objective without an id', drafting, addObjective({ objectiveId: '' }), FieldInvalid, 'objectiveId', 'objectiveId must be a non-empty identifier.'],
    ['a new objective without a description', drafting, addObjective({ objectiveId: 'o-2', description: '' }), FieldInvalid, 'description', 'The objective is required.'],
    ['an objective’s measure revised to neither kind', drafting, command('ReviseObjective', { objectiveId: 'o-1', measure: { kind: 'feeling' } as never }), ObjectiveNotMeasurable, 'measure.kind', "A measure is either an 'instrument' or a 'behavioural' measure."],
    ['a new intervention without an id', drafting, addIntervention({ interventionId: '' }), FieldInvalid, 'interventionId', 'interventionId must be a non-empty identifier.'],
    ['a reason of 4001 characters for discontinuing an objective', drafting, command('DiscontinueObjective', { objectiveId: 'o-1', reason: long }), FieldInvalid, 'reason', 'The reason is longer than 4000 characters.'],
    ['a reason of 4001 characters for discontinuing an intervention', drafting, command('DiscontinueIntervention', { interventionId: 'i-1', reason: long }), FieldInvalid, 'reason', 'The reason is longer than 4000 characters.'],
    ['a target date given as a list', drafting, addObjective({ objectiveId: 'o-2', targetDate: ['2025-04-01'] as never }), FieldInvalid, 'targetDate', 'The target date must be a calendar date written YYYY-MM-DD.'],
  ])('%s', (_name, history, next, errorType, field, message) => {
    given(history()).when(next).thenThrows(errorType, { field, message });
  });

  test.each<[string, PlanCommandInput, string, string]>([
    ['a goal already met, met again', command('MarkGoalMet', { goalId: 'g-2' }), 'goal_not_active', 'The goal g-2 is met, not active.'],
    ['an objective already met, met again', command('MarkObjectiveMet', { objectiveId: 'o-2' }), 'objective_not_active', 'The objective o-2 is met, not active.'],
  ])('%s: <item>_not_active', (_name, next, code, message) => {
    given(done()).when(next).thenThrows(NotActive, { code, kind: 'conflict', message });
  });
});
