import { BEHAVIOURAL_UNIT_RANGES, PLAN_COLLECTION_LIMITS } from '@golden-loop/contracts';
import type { PlanCommandInput } from './command-inputs';
import { CollectionFull, DateOutOfRange, FieldInvalid, ObjectiveNotMeasurable } from './errors';
import { PLAN_LIMITS, TEXT_LIMITS } from './plan-limits';
import { given } from './testing/given';
import { addGoal, addIntervention, addObjective, aPlan, command, day, openPlan, openPlanData, proposeRevision } from './testing/plan-builders';

// The plan's limits (docs/input-limits.md): none looser than the public contract's, so every revision a client can
// draft can be signed and published; lists refused before their items are looked at; dates and measures in range.

const codes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `F${10 + from + i}.0`);
const addDiagnosis = (code: string): PlanCommandInput => command('AddDiagnosis', { code });

describe('limits no looser than the contract: the item that would pass them is refused', () => {
  test('the domain’s collection limits are the contract’s', () => {
    expect(PLAN_LIMITS).toMatchObject(PLAN_COLLECTION_LIMITS);
  });

  test(`the ${PLAN_LIMITS.diagnoses + 1}th diagnosis, added one at a time, is collection_full (409)`, () => {
    const full = aPlan().opened().run(...codes(PLAN_LIMITS.diagnoses - 2).map(addDiagnosis));
    const error = given(full.events).when(addDiagnosis('F99.0')).thenThrows(CollectionFull, { code: 'collection_full', kind: 'conflict', field: 'diagnoses' });
    expect(error.message).toBe('This revision already has 25 diagnoses, the most a plan can hold; remove one that nothing addresses before adding another.');
    expect(error.extensions).toEqual({ collection: 'diagnoses', limit: 25 });
  });

  test(`the ${PLAN_LIMITS.goals + 1}th goal is refused, met and discontinued goals counted (PlanRevised lists them all)`, () => {
    const goals = Array.from({ length: PLAN_LIMITS.goals - 1 }, (_, i) => addGoal({ goalId: `g-${i}` }));
    const almost = aPlan().opened().run(...goals, command('DiscontinueGoal', { goalId: 'g-0' }));
    given(almost.events).when(addGoal({ goalId: 'g-last' })).thenTypes(['GoalAdded']);
    given(almost.run(addGoal({ goalId: 'g-last' })).events)
      .when(addGoal({ goalId: 'g-one-more' }))
      .thenThrows(CollectionFull, { collection: 'goals', limit: 50 });
  });

  test(`the ${PLAN_LIMITS.objectives + 1}th objective is refused`, () => {
    const objectives = Array.from({ length: PLAN_LIMITS.objectives }, (_, i) => addObjective({ objectiveId: `o-${i}` }));
    const full = aPlan().opened().withGoal().run(...objectives);
    given(full.events).when(addObjective({ objectiveId: 'o-more' })).thenThrows(CollectionFull, { collection: 'objectives', limit: 200 });
  });

  test(`the ${PLAN_LIMITS.activeInterventions + 1}th active intervention is refused; a discontinued one makes room`, () => {
    const interventions = Array.from({ length: PLAN_LIMITS.activeInterventions }, (_, i) => addIntervention({ interventionId: `i-${i}` }));
    const full = aPlan().opened().withGoal().withObjective().run(...interventions);
    given(full.events).when(addIntervention({ interventionId: 'i-more' })).thenThrows(CollectionFull, { collection: 'active_interventions', limit: 50 });
    const room = full.run(command('DiscontinueIntervention', { interventionId: 'i-0' }));
    given(room.events).when(addIntervention({ interventionId: 'i-more' })).thenTypes(['InterventionAdded']);
  });

  test.each([
    ['AddSymptom', 'symptoms', (i: number) => command('AddSymptom', { symptomId: `sx-${i}`, diagnosisCode: 'F32.1', description: 'Poor sleep' })],
    ['AddImpairment', 'impairments', (i: number) => command('AddImpairment', { impairmentId: `im-${i}`, diagnosisCode: 'F32.1', description: 'Missing work' })],
  ] as const)('%s past the limit of %s is refused', (_, collection, add) => {
    const opened = aPlan().opened();
    const present = collection === 'symptoms' ? openPlanData.symptoms.length : openPlanData.impairments.length;
    const full = opened.run(...Array.from({ length: PLAN_LIMITS[collection] - present }, (__, i) => add(i)));
    given(full.events).when(add(999)).thenThrows(CollectionFull, { collection, limit: 50 });
  });
});

describe('lists in one command', () => {
  test.each([
    ['diagnoses', { diagnoses: codes(PLAN_LIMITS.diagnoses + 1).map((code, i) => ({ code, rank: i === 0 ? 'primary' : 'secondary' }) as const) }, 'The diagnoses can list at most 25; 26 were given.'],
    ['strengths', { strengths: Array.from({ length: PLAN_LIMITS.strengths + 1 }, () => 'Kind') }, 'The strengths can list at most 20; 21 were given.'],
    [
      'symptoms',
      { symptoms: Array.from({ length: PLAN_LIMITS.symptoms + 1 }, (_, i) => ({ symptomId: `s${i}`, diagnosisCode: 'F32.1', description: 'x' })) },
      'The symptoms can list at most 50; 51 were given.',
    ],
  ] as const)('a plan opened with too many %s is refused on the list', (field, data, reason) => {
    given([]).when(openPlan(data)).thenThrows(FieldInvalid, { field, reason });
  });

  test(`a goal addresses at most ${PLAN_LIMITS.linksPerGoal} problems, on POST and on PATCH alike`, () => {
    const drafting = aPlan().opened().withGoal();
    const links = Array.from({ length: 2500 }, () => ({ kind: 'symptom', id: 'sx-low-mood' }) as const);
    const reason = 'A goal can list at most 20; 2500 were given.';
    given(drafting.events).when(addGoal({ goalId: 'g-2', addresses: links })).thenThrows(FieldInvalid, { field: 'addresses', reason });
    given(drafting.events).when(command('ReviseGoal', { goalId: 'g-1', addresses: links })).thenThrows(FieldInvalid, { field: 'addresses', reason });
  });

  test('a link listed twice is refused rather than stored twice', () => {
    const links = [
      { kind: 'symptom', id: 'sx-low-mood' },
      { kind: 'symptom', id: 'sx-low-mood' },
    ] as const;
    given(aPlan().opened().withGoal().events)
      .when(command('ReviseGoal', { goalId: 'g-1', addresses: links }))
      .thenThrows(FieldInvalid, { field: 'addresses[1]', reason: 'The symptom sx-low-mood is listed twice.' });
  });

  test(`a revision answers at most ${PLAN_LIMITS.triggersPerRevision} triggers`, () => {
    const triggers = Array.from({ length: PLAN_LIMITS.triggersPerRevision + 1 }, (_, i) => ({ type: 'GoalMet', id: `g-${i}` }) as const);
    given(aPlan().inEffect().events).when(proposeRevision({ triggers })).thenThrows(FieldInvalid, { field: 'triggers' });
  });
});

describe('text', () => {
  test.each([
    ['clientGoal', TEXT_LIMITS.goal],
    ['clinicalGoal', TEXT_LIMITS.goal],
  ] as const)('%s takes up to %i characters', (field, limit) => {
    const drafting = aPlan().opened();
    given(drafting.events).when(addGoal({ [field]: 'x'.repeat(limit) })).thenTypes(['GoalAdded']);
    given(drafting.events).when(addGoal({ [field]: 'x'.repeat(limit + 1) })).thenThrows(FieldInvalid, { field });
  });

  test.each(['\u200b', ' \ufeff\u2060 ', '\u00ad'])('text of invisible characters only (%j) is blank: required text is refused', (text) => {
    given(aPlan().opened().events).when(addGoal({ clientGoal: text })).thenThrows(FieldInvalid, { field: 'clientGoal', reason: "The client goal, in the client's own words, is required." });
  });
});

describe('dates within what a plan can mean', () => {
  // The plan opens on day(0) = 2025-03-03; commands are decided on day(0) unless said.
  const drafting = aPlan().opened().withGoal();

  test.each(['2025-03-03', '2035-03-03'])('a target date of %s (from the opening day to ten years ahead) is accepted', (targetDate) => {
    given(drafting.events).when(addObjective({ targetDate })).thenTypes(['ObjectiveAdded']);
  });

  test.each([
    ['2025-03-02', 'The target date 2025-03-02 is before the plan opened (2025-03-03).'],
    ['2035-03-04', 'The target date 2035-03-04 is more than 10 years ahead; the latest is 2035-03-03.'],
    ['9999-12-31', 'The target date 9999-12-31 is more than 10 years ahead; the latest is 2035-03-03.'],
  ])('a target date of %s is date_out_of_range, on add and on revise', (targetDate, reason) => {
    given(drafting.events).when(addObjective({ targetDate })).thenThrows(DateOutOfRange, { code: 'date_out_of_range', field: 'targetDate', reason });
    given(drafting.withObjective().events)
      .when(command('ReviseObjective', { objectiveId: 'o-1', targetDate }))
      .thenThrows(DateOutOfRange, { field: 'targetDate', reason });
  });

  const report = (occurredOn: string) =>
    command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'bereavement', impact: 'major', occurredOn, description: 'Her father died' }, day(10));

  test.each(['2025-03-13', '1905-03-13'])('a life event on %s (today, or at most 120 years ago) is reported', (occurredOn) => {
    given(aPlan().inEffect().events).when(report(occurredOn)).thenTypes(['LifeEventReported']);
  });

  test.each([
    ['2025-03-14', 'A life event is reported once it has happened; the date is in the future.'],
    ['1905-03-12', 'The date 1905-03-12 is more than 120 years ago; the earliest is 1905-03-13.'],
    ['1000-01-01', 'The date 1000-01-01 is more than 120 years ago; the earliest is 1905-03-13.'],
  ])('a life event on %s is date_out_of_range', (occurredOn, reason) => {
    given(aPlan().inEffect().events).when(report(occurredOn)).thenThrows(DateOutOfRange, { field: 'occurredOn', reason });
  });
});

describe('behavioural measures within their unit’s range', () => {
  const drafting = aPlan().opened().withGoal();
  const behavioural = (unit: keyof typeof BEHAVIOURAL_UNIT_RANGES, baseline: number, target: number) =>
    addObjective({ measure: { kind: 'behavioural', description: 'what is counted', unit, baseline, target } });

  test.each(Object.entries(BEHAVIOURAL_UNIT_RANGES) as [keyof typeof BEHAVIOURAL_UNIT_RANGES, { min: number; max: number }][])(
    '%s: its whole range is accepted, one past its maximum is refused',
    (unit, { min, max }) => {
      given(drafting.events).when(behavioural(unit, min, max)).thenTypes(['ObjectiveAdded']);
      given(drafting.events).when(behavioural(unit, max + 1, min)).thenThrows(ObjectiveNotMeasurable, { field: 'measure.baseline' });
      given(drafting.events).when(behavioural(unit, min, min - 1)).thenThrows(ObjectiveNotMeasurable, { field: 'measure.target' });
    },
  );

  test.each([
    ['days_per_week', 1000, 'The baseline must be a number from 0 to 7 days a week.'],
    ['percent', 5000, 'The baseline must be a number from 0 to 100 percent.'],
  ] as const)('%s of %i says the unit’s range', (unit, baseline, reason) => {
    given(drafting.events).when(behavioural(unit, baseline, 1)).thenThrows(ObjectiveNotMeasurable, { field: 'measure.baseline', reason });
  });
});
