import type { PlanCommandInput } from './command-inputs';
import {
  DiagnosisCodeInvalid,
  FieldInvalid,
  GoalNotLinked,
  IdAlreadyUsed,
  LastActiveGoal,
  NotActive,
  NotFoundInPlan,
  ObjectiveNotMeasurable,
  PrimaryDiagnosisCannotBeRemoved,
  StillLinked,
} from './errors';
import type { PlanEvent } from './events';
import { given, stateAfter } from './testing/given';
import {
  addGoal,
  addIntervention,
  addObjective,
  aPlan,
  CLINICIAN_ID,
  command,
  day,
  openPlanData,
  PLAN_ID,
  proposeRevision,
  sign,
} from './testing/plan-builders';
import type { OpenedPlan } from './plan-state';

type ErrorType = abstract new (...args: never[]) => Error;
const opened = (events: readonly PlanEvent[]) => stateAfter(events) as OpenedPlan;
const inRevision1 = { planId: PLAN_ID, revision: 1, by: CLINICIAN_ID };

describe('goals', () => {
  const drafting = aPlan().opened();

  test("a goal carries the client's own words and the clinical goal, linked to what it addresses, with the diagnoses it traces to", () => {
    given(drafting.events)
      .when(addGoal({}, day(1)))
      .then([
        {
          type: 'GoalAdded',
          data: {
            ...inRevision1,
            goal: {
              goalId: 'g-1',
              clientGoal: 'I want to get out of the house and see my friends again',
              clinicalGoal: 'Reduce depressive symptoms and restore social functioning through behavioural activation',
              addresses: [
                { kind: 'symptom', id: 'sx-low-mood' },
                { kind: 'impairment', id: 'im-home' },
              ],
              status: 'active',
            },
            diagnosisCodes: ['F32.1'],
            addedAt: day(1),
          },
        },
      ]);
  });

  test('a goal may address a diagnosis directly, named by its code in any case', () => {
    const [added] = given(drafting.events)
      .when(addGoal({ addresses: [{ kind: 'diagnosis', id: 'f41.1' }, { kind: 'symptom', id: 'sx-low-mood' }] }))
      .thenTypes(['GoalAdded']);
    expect(added.data).toMatchObject({
      goal: { addresses: [{ kind: 'diagnosis', id: 'F41.1' }, { kind: 'symptom', id: 'sx-low-mood' }] },
      diagnosisCodes: ['F41.1', 'F32.1'],
    });
  });

  test.each<[string, Parameters<typeof addGoal>[0], ErrorType, Record<string, unknown>]>([
    ['no client goal', { clientGoal: '' }, FieldInvalid, { field: 'clientGoal' }],
    ['a blank client goal', { clientGoal: '   ' }, FieldInvalid, { field: 'clientGoal' }],
    ['no clinical goal', { clinicalGoal: '' }, FieldInvalid, { field: 'clinicalGoal' }],
    ['a client goal that is not text', { clientGoal: 42 as never }, FieldInvalid, { field: 'clientGoal' }],
    ['nothing it addresses', { addresses: [] }, GoalNotLinked, { code: 'goal_not_linked' }],
    ['no list of what it addresses', { addresses: undefined as never }, GoalNotLinked, {}],
    ['a diagnosis not in the plan', { addresses: [{ kind: 'diagnosis', id: 'F43.10' }] }, NotFoundInPlan, { code: 'diagnosis_not_found', field: 'addresses[0].id' }],
    ['a malformed diagnosis code', { addresses: [{ kind: 'diagnosis', id: 'depression' }] }, DiagnosisCodeInvalid, { field: 'addresses[0].id' }],
    ['a symptom not in the plan', { addresses: [{ kind: 'symptom', id: 'sx-nope' }] }, NotFoundInPlan, { code: 'symptom_not_found' }],
    ['an impairment not in the plan', { addresses: [{ kind: 'impairment', id: 'im-nope' }] }, NotFoundInPlan, { code: 'impairment_not_found' }],
    ['an unknown kind of link', { addresses: [{ kind: 'hunch' as never, id: 'x' }] }, FieldInvalid, { field: 'addresses[0].kind' }],
    ['an empty goal id', { goalId: '' }, FieldInvalid, { field: 'goalId' }],
  ])('a goal with %s is refused', (_name, data, errorType, expected) => {
    given(drafting.events).when(addGoal(data)).thenThrows(errorType, expected);
  });

  test('a goal id is used once per plan', () => {
    given(drafting.withGoal().events).when(addGoal()).thenThrows(IdAlreadyUsed, { itemKind: 'goal', id: 'g-1', field: 'goalId' });
  });

  test('revising a goal keeps what is not given and records the full goal', () => {
    given(drafting.withGoal().events)
      .when(command('ReviseGoal', { goalId: 'g-1', clientGoal: 'See my friends every week' }, day(2)))
      .then([
        {
          type: 'GoalRevised',
          data: {
            ...inRevision1,
            goalId: 'g-1',
            clientGoal: 'See my friends every week',
            clinicalGoal: 'Reduce depressive symptoms and restore social functioning through behavioural activation',
            addresses: [
              { kind: 'symptom', id: 'sx-low-mood' },
              { kind: 'impairment', id: 'im-home' },
            ],
            diagnosisCodes: ['F32.1'],
            revisedAt: day(2),
          },
        },
      ]);
  });

  test.each<[string, PlanCommandInput, ErrorType]>([
    ['with nothing to revise', command('ReviseGoal', { goalId: 'g-1' }), FieldInvalid],
    ['to address nothing', command('ReviseGoal', { goalId: 'g-1', addresses: [] }), GoalNotLinked],
    ['to an empty client goal', command('ReviseGoal', { goalId: 'g-1', clientGoal: '' }), FieldInvalid],
    ['that does not exist', command('ReviseGoal', { goalId: 'g-9', clinicalGoal: 'x' }), NotFoundInPlan],
  ])('revising a goal %s is refused', (_name, next, errorType) => {
    given(drafting.withGoal().events).when(next).thenThrows(errorType);
  });

  test('discontinuing a goal discontinues its active objectives and their interventions', () => {
    const full = drafting.withGoal().withObjective().withIntervention().withObjective({ objectiveId: 'o-2' });
    given(full.events)
      .when(command('DiscontinueGoal', { goalId: 'g-1', reason: 'Client chose to focus on sleep' }, day(3)))
      .then([
        { type: 'GoalDiscontinued', data: { ...inRevision1, goalId: 'g-1', reason: 'Client chose to focus on sleep', discontinuedAt: day(3) } },
        { type: 'ObjectiveDiscontinued', data: { ...inRevision1, objectiveId: 'o-1', goalId: 'g-1', reason: 'goal_discontinued', discontinuedAt: day(3) } },
        {
          type: 'InterventionDiscontinued',
          data: { ...inRevision1, interventionId: 'i-1', objectiveId: 'o-1', reason: 'objective_discontinued', discontinuedAt: day(3) },
        },
        { type: 'ObjectiveDiscontinued', data: { ...inRevision1, objectiveId: 'o-2', goalId: 'g-1', reason: 'goal_discontinued', discontinuedAt: day(3) } },
      ]);
  });

  test.each<[string, readonly PlanEvent[], PlanCommandInput, ErrorType, Record<string, unknown>]>([
    ['discontinuing a discontinued goal', drafting.withGoal().run(command('DiscontinueGoal', { goalId: 'g-1' })).events, command('DiscontinueGoal', { goalId: 'g-1' }), NotActive, { code: 'goal_not_active', status: 'discontinued' }],
    ['revising a met goal', drafting.withGoal().run(command('MarkGoalMet', { goalId: 'g-1' })).events, command('ReviseGoal', { goalId: 'g-1', clinicalGoal: 'x' }), NotActive, { code: 'goal_not_active', status: 'met' }],
    ['meeting a met goal', drafting.withGoal().run(command('MarkGoalMet', { goalId: 'g-1' })).events, command('MarkGoalMet', { goalId: 'g-1' }), NotActive, { status: 'met' }],
    ['meeting a goal that does not exist', drafting.withGoal().events, command('MarkGoalMet', { goalId: 'g-9' }), NotFoundInPlan, { code: 'goal_not_found' }],
    ['adding an objective to a discontinued goal', drafting.withGoal().run(command('DiscontinueGoal', { goalId: 'g-1' })).events, addObjective(), NotActive, { code: 'goal_not_active' }],
  ])('%s is refused', (_name, history, next, errorType, expected) => {
    given(history).when(next).thenThrows(errorType, expected);
  });
});

describe('goals met', () => {
  const inEffect = aPlan().inEffect();

  test('a goal met is recorded whenever it happens, outside any revision, and becomes a trigger', () => {
    const withSecond = inEffect.revising().withGoal({ goalId: 'g-2' }).signedByBoth(2);
    given(withSecond.events)
      .when(command('MarkGoalMet', { goalId: 'g-1' }, day(30)))
      .then([{ type: 'GoalMet', data: { planId: PLAN_ID, goalId: 'g-1', metAt: day(30), by: CLINICIAN_ID } }]);
    const plan = opened(withSecond.run(command('MarkGoalMet', { goalId: 'g-1' }, day(30))).events);
    expect(plan.inEffect!.goals.find((goal) => goal.goalId === 'g-1')!.status).toBe('met');
    expect(plan.triggers).toEqual([{ type: 'GoalMet', id: 'g-1', occurredAt: day(30), answeredInRevision: null }]);
  });

  test("meeting the client's last active goal is refused while no revision adds the next one", () => {
    given(inEffect.events).when(command('MarkGoalMet', { goalId: 'g-1' })).thenThrows(LastActiveGoal, { code: 'last_active_goal', goalId: 'g-1' });
  });

  test('meeting the last active goal is refused when the open revision adds none', () => {
    given(inEffect.revising().events).when(command('MarkGoalMet', { goalId: 'g-1' })).thenThrows(LastActiveGoal);
  });

  test('meeting the last active goal is allowed when the open revision adds the next goal, and applies to both', () => {
    const nextGoal = inEffect.revising().withGoal({ goalId: 'g-2' });
    given(nextGoal.events).when(command('MarkGoalMet', { goalId: 'g-1' })).thenTypes(['GoalMet']);
    const plan = opened(nextGoal.run(command('MarkGoalMet', { goalId: 'g-1' })).events);
    expect(plan.inEffect!.goals[0].status).toBe('met');
    expect(plan.draft!.content.goals.map((goal) => goal.status)).toEqual(['met', 'active']);
  });

  test('while revision 1 is drafted a goal may be met; the revision then needs another active goal to be signed', () => {
    const drafted = aPlan().opened().withGoal();
    given(drafted.events).when(command('MarkGoalMet', { goalId: 'g-1' })).thenTypes(['GoalMet']);
  });
});

describe('objectives', () => {
  const withGoal = aPlan().opened().withGoal();

  test('an objective measured by an instrument carries its LOINC code, baseline, target and target date', () => {
    given(withGoal.events)
      .when(addObjective({}, day(1)))
      .then([
        {
          type: 'ObjectiveAdded',
          data: {
            ...inRevision1,
            objective: {
              objectiveId: 'o-1',
              goalId: 'g-1',
              description: 'PHQ-9 below 10 by June',
              measure: { kind: 'instrument', instrument: 'PHQ-9', loinc: '44261-6', baseline: 16, target: 9 },
              targetDate: '2025-06-02',
              status: 'active',
            },
            addedAt: day(1),
          },
        },
      ]);
  });

  test('an objective may be measured by a behaviour with a unit', () => {
    const measure = { kind: 'behavioural', description: 'Days out of the house', unit: 'days_per_week', baseline: 1, target: 4 } as const;
    const [added] = given(withGoal.events).when(addObjective({ measure })).thenTypes(['ObjectiveAdded']);
    expect(added.data).toMatchObject({ objective: { measure } });
  });

  test('an objective may be drafted without a measure or target date; an advisory says so', () => {
    const [added] = given(withGoal.events).when(addObjective({ measure: null, targetDate: null })).thenTypes(['ObjectiveAdded']);
    expect(added.data).toMatchObject({ objective: { measure: null, targetDate: null } });
  });

  test.each<[string, Parameters<typeof addObjective>[0], ErrorType, Record<string, unknown>]>([
    ['an unknown instrument', { measure: { kind: 'instrument', instrument: 'BDI-II', baseline: 20, target: 10 } }, ObjectiveNotMeasurable, { field: 'measure.instrument', code: 'objective_not_measurable' }],
    ['a PHQ-9 baseline above 27', { measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 28, target: 9 } }, ObjectiveNotMeasurable, { field: 'measure.baseline' }],
    ['a GAD-7 target above 21', { measure: { kind: 'instrument', instrument: 'GAD-7', baseline: 21, target: 22 } }, ObjectiveNotMeasurable, { field: 'measure.target' }],
    ['a fractional target', { measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 16, target: 9.5 } }, ObjectiveNotMeasurable, { field: 'measure.target' }],
    ['an instrument target not below the baseline', { measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 9, target: 9 } }, ObjectiveNotMeasurable, { field: 'measure.target' }],
    ['an instrument target above the baseline', { measure: { kind: 'instrument', instrument: 'GAD-7', baseline: 9, target: 12 } }, ObjectiveNotMeasurable, { field: 'measure.target' }],
    ['a behavioural measure without a unit', { measure: { kind: 'behavioural', description: 'Walks', unit: undefined as never, baseline: 0, target: 3 } }, ObjectiveNotMeasurable, { field: 'measure.unit' }],
    ['a behavioural measure with an unknown unit', { measure: { kind: 'behavioural', description: 'Walks', unit: 'furlongs' as never, baseline: 0, target: 3 } }, ObjectiveNotMeasurable, { field: 'measure.unit' }],
    ['a behavioural measure counting nothing named', { measure: { kind: 'behavioural', description: ' ', unit: 'count_per_week', baseline: 0, target: 3 } }, ObjectiveNotMeasurable, { field: 'measure.description' }],
    ['a negative behavioural baseline', { measure: { kind: 'behavioural', description: 'Walks', unit: 'count_per_week', baseline: -1, target: 3 } }, ObjectiveNotMeasurable, { field: 'measure.baseline' }],
    ['a behavioural target equal to the baseline', { measure: { kind: 'behavioural', description: 'Walks', unit: 'count_per_week', baseline: 3, target: 3 } }, ObjectiveNotMeasurable, { field: 'measure.target' }],
    ['a measure of unknown kind', { measure: { kind: 'vibes' } as never }, ObjectiveNotMeasurable, { field: 'measure.kind' }],
    ['a target date that is not a date', { targetDate: 'next June' }, FieldInvalid, { field: 'targetDate' }],
    ['a target date that does not exist', { targetDate: '2025-02-30' }, FieldInvalid, { field: 'targetDate' }],
    ['no description', { description: '' }, FieldInvalid, { field: 'description' }],
    ['a goal that does not exist', { goalId: 'g-9' }, NotFoundInPlan, { code: 'goal_not_found', field: 'goalId' }],
  ])('an objective with %s is refused', (_name, data, errorType, expected) => {
    given(withGoal.events).when(addObjective(data)).thenThrows(errorType, expected);
  });

  test('an objective id is used once per plan', () => {
    given(withGoal.withObjective().events).when(addObjective()).thenThrows(IdAlreadyUsed, { itemKind: 'objective' });
  });

  test('revising an objective may add the measure and date it was drafted without', () => {
    const drafted = withGoal.withObjective({ measure: null, targetDate: null });
    given(drafted.events)
      .when(command('ReviseObjective', { objectiveId: 'o-1', measure: { kind: 'instrument', instrument: 'GAD-7', baseline: 12, target: 7 }, targetDate: '2025-05-05' }, day(4)))
      .then([
        {
          type: 'ObjectiveRevised',
          data: {
            ...inRevision1,
            objectiveId: 'o-1',
            goalId: 'g-1',
            description: 'PHQ-9 below 10 by June',
            measure: { kind: 'instrument', instrument: 'GAD-7', loinc: '70274-6', baseline: 12, target: 7 },
            targetDate: '2025-05-05',
            revisedAt: day(4),
          },
        },
      ]);
  });

  test.each<[string, PlanCommandInput, ErrorType]>([
    ['with nothing to revise', command('ReviseObjective', { objectiveId: 'o-1' }), FieldInvalid],
    ['with an unmeasurable measure', command('ReviseObjective', { objectiveId: 'o-1', measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 5, target: 8 } }), ObjectiveNotMeasurable],
    ['with a malformed date', command('ReviseObjective', { objectiveId: 'o-1', targetDate: '01/06/2025' }), FieldInvalid],
    ['that does not exist', command('ReviseObjective', { objectiveId: 'o-9', description: 'x' }), NotFoundInPlan],
  ])('revising an objective %s is refused', (_name, next, errorType) => {
    given(withGoal.withObjective().events).when(next).thenThrows(errorType);
  });

  test('an objective met is recorded outside any revision with its goal, and becomes a trigger', () => {
    const inEffect = aPlan().inEffect();
    given(inEffect.events)
      .when(command('MarkObjectiveMet', { objectiveId: 'o-1' }, day(20)))
      .then([{ type: 'ObjectiveMet', data: { planId: PLAN_ID, goalId: 'g-1', objectiveId: 'o-1', metAt: day(20), by: CLINICIAN_ID } }]);
    const plan = opened(inEffect.run(command('MarkObjectiveMet', { objectiveId: 'o-1' }, day(20))).events);
    expect(plan.inEffect!.objectives[0].status).toBe('met');
    expect(plan.triggers).toEqual([{ type: 'ObjectiveMet', id: 'o-1', occurredAt: day(20), answeredInRevision: null }]);
  });

  test.each<[string, readonly PlanEvent[], PlanCommandInput, ErrorType]>([
    ['meeting a met objective', aPlan().inEffect().run(command('MarkObjectiveMet', { objectiveId: 'o-1' })).events, command('MarkObjectiveMet', { objectiveId: 'o-1' }), NotActive],
    ['meeting an objective that does not exist', aPlan().inEffect().events, command('MarkObjectiveMet', { objectiveId: 'o-9' }), NotFoundInPlan],
    ['discontinuing a met objective', aPlan().inEffect().run(command('MarkObjectiveMet', { objectiveId: 'o-1' }), proposeRevision()).events, command('DiscontinueObjective', { objectiveId: 'o-1' }), NotActive],
    ['adding an intervention to a met objective', aPlan().inEffect().run(command('MarkObjectiveMet', { objectiveId: 'o-1' }), proposeRevision()).events, addIntervention({ interventionId: 'i-2' }), NotActive],
  ])('%s is refused', (_name, history, next, errorType) => {
    given(history).when(next).thenThrows(errorType);
  });

  test('discontinuing an objective discontinues its interventions', () => {
    given(withGoal.withObjective().withIntervention().events)
      .when(command('DiscontinueObjective', { objectiveId: 'o-1', reason: 'Replaced by a smaller step' }, day(5)))
      .then([
        { type: 'ObjectiveDiscontinued', data: { ...inRevision1, objectiveId: 'o-1', goalId: 'g-1', reason: 'Replaced by a smaller step', discontinuedAt: day(5) } },
        { type: 'InterventionDiscontinued', data: { ...inRevision1, interventionId: 'i-1', objectiveId: 'o-1', reason: 'objective_discontinued', discontinuedAt: day(5) } },
      ]);
  });
});

describe('interventions', () => {
  const withObjective = aPlan().opened().withGoal().withObjective();

  test('an intervention names its modality, its frequency and the objective it serves', () => {
    given(withObjective.events)
      .when(addIntervention({ modality: 'cbt', frequency: { count: 2, per: 'month' } }, day(1)))
      .then([
        {
          type: 'InterventionAdded',
          data: {
            ...inRevision1,
            intervention: { interventionId: 'i-1', objectiveId: 'o-1', modality: 'cbt', description: null, frequency: { count: 2, per: 'month' }, status: 'active' },
            addedAt: day(1),
          },
        },
      ]);
  });

  test("an intervention of modality 'other' says what it is", () => {
    const [added] = given(withObjective.events)
      .when(addIntervention({ modality: 'other', description: 'Walk-and-talk sessions in the park' }))
      .thenTypes(['InterventionAdded']);
    expect(added.data).toMatchObject({ intervention: { modality: 'other', description: 'Walk-and-talk sessions in the park' } });
  });

  test.each<[string, Parameters<typeof addIntervention>[0], ErrorType, Record<string, unknown>]>([
    ['an unknown modality', { modality: 'astrology' as never }, FieldInvalid, { field: 'modality' }],
    ["modality 'other' without a description", { modality: 'other' }, FieldInvalid, { field: 'description' }],
    ['no frequency', { frequency: undefined as never }, FieldInvalid, { field: 'frequency.count' }],
    ['zero sessions', { frequency: { count: 0, per: 'week' } }, FieldInvalid, { field: 'frequency.count' }],
    ['a frequency per year', { frequency: { count: 1, per: 'year' as never } }, FieldInvalid, { field: 'frequency.per' }],
    ['an objective that does not exist', { objectiveId: 'o-9' }, NotFoundInPlan, { code: 'objective_not_found' }],
  ])('an intervention with %s is refused', (_name, data, errorType, expected) => {
    given(withObjective.events).when(addIntervention(data)).thenThrows(errorType, expected);
  });

  test('an intervention id is used once per plan', () => {
    given(withObjective.withIntervention().events).when(addIntervention()).thenThrows(IdAlreadyUsed, { itemKind: 'intervention' });
  });

  test('discontinuing an intervention is recorded as its removal from the plan', () => {
    const events = withObjective.withIntervention().run(command('DiscontinueIntervention', { interventionId: 'i-1' })).events;
    expect(events[events.length - 1]).toMatchObject({ type: 'InterventionDiscontinued', data: { interventionId: 'i-1', reason: null } });
    expect(opened(events).draft!.changes.interventions).toEqual({ added: [], changed: [], removed: ['i-1'] });
  });

  test.each<[string, PlanCommandInput, ErrorType]>([
    ['that does not exist', command('DiscontinueIntervention', { interventionId: 'i-9' }), NotFoundInPlan],
  ])('discontinuing an intervention %s is refused', (_name, next, errorType) => {
    given(withObjective.withIntervention().events).when(next).thenThrows(errorType);
  });

  test('discontinuing an intervention twice is refused', () => {
    const once = withObjective.withIntervention().run(command('DiscontinueIntervention', { interventionId: 'i-1' }));
    given(once.events).when(command('DiscontinueIntervention', { interventionId: 'i-1' })).thenThrows(NotActive, { code: 'intervention_not_active' });
  });
});

describe('diagnoses, symptoms, impairments and service details in a revision', () => {
  const drafting = aPlan().inEffect().revising();
  const inRevision2 = { planId: PLAN_ID, revision: 2, by: CLINICIAN_ID };

  test('a new diagnosis is added as secondary', () => {
    given(drafting.events)
      .when(command('AddDiagnosis', { code: 'F43.10', description: 'PTSD, unspecified' }, day(1)))
      .then([{ type: 'DiagnosisAdded', data: { ...inRevision2, diagnosis: { code: 'F43.10', rank: 'secondary', description: 'PTSD, unspecified' }, addedAt: day(1) } }]);
  });

  test('making another diagnosis primary demotes the previous primary, and both count as changed', () => {
    const events = drafting.run(command('SetPrimaryDiagnosis', { code: 'F41.1' }, day(1))).events;
    expect(events[events.length - 1]).toEqual({
      type: 'PrimaryDiagnosisChanged',
      data: { ...inRevision2, previousCode: 'F32.1', code: 'F41.1', changedAt: day(1) },
    });
    const draft = opened(events).draft!;
    expect(draft.content.diagnoses.map((diagnosis) => [diagnosis.code, diagnosis.rank])).toEqual([
      ['F32.1', 'secondary'],
      ['F41.1', 'primary'],
    ]);
    expect(draft.changes.diagnoses.changed).toEqual(['F32.1', 'F41.1']);
  });

  test('a diagnosis no longer addressed is removed', () => {
    const unlinked = drafting.run(command('RemoveSymptom', { symptomId: 'sx-worry' }));
    given(unlinked.events)
      .when(command('RemoveDiagnosis', { code: 'F41.1' }, day(2)))
      .then([{ type: 'DiagnosisRemoved', data: { ...inRevision2, code: 'F41.1', removedAt: day(2) } }]);
  });

  test('symptoms and impairments are added and removed, linked to a diagnosis of the plan', () => {
    given(drafting.events)
      .when(command('AddSymptom', { symptomId: 'sx-sleep', diagnosisCode: 'F32.1', description: 'Wakes at 4 every morning' }, day(1)))
      .then([{ type: 'SymptomAdded', data: { ...inRevision2, symptom: { symptomId: 'sx-sleep', diagnosisCode: 'F32.1', description: 'Wakes at 4 every morning' }, addedAt: day(1) } }]);
    given(drafting.events)
      .when(command('AddImpairment', { impairmentId: 'im-work', diagnosisCode: 'F41.1', description: 'Cannot open letters from work' }, day(1)))
      .then([{ type: 'ImpairmentAdded', data: { ...inRevision2, impairment: { impairmentId: 'im-work', diagnosisCode: 'F41.1', description: 'Cannot open letters from work' }, addedAt: day(1) } }]);
    given(drafting.events)
      .when(command('RemoveSymptom', { symptomId: 'sx-worry' }, day(1)))
      .then([{ type: 'SymptomRemoved', data: { ...inRevision2, symptomId: 'sx-worry', diagnosisCode: 'F41.1', removedAt: day(1) } }]);
  });

  test('the service details change within a revision', () => {
    const service = { ...openPlanData.service, frequency: { count: 2, per: 'month' as const } };
    given(drafting.events)
      .when(command('ChangeService', { service }, day(1)))
      .then([{ type: 'ServiceChanged', data: { ...inRevision2, service, changedAt: day(1) } }]);
  });

  test.each<[string, PlanCommandInput, ErrorType, Record<string, unknown>]>([
    ['adding a diagnosis the plan has', command('AddDiagnosis', { code: 'f32.1' }), IdAlreadyUsed, { itemKind: 'diagnosis', id: 'F32.1' }],
    ['adding a malformed diagnosis', command('AddDiagnosis', { code: 'PTSD' }), DiagnosisCodeInvalid, { field: 'code' }],
    ['removing the primary diagnosis', command('RemoveDiagnosis', { code: 'F32.1' }), PrimaryDiagnosisCannotBeRemoved, { code: 'primary_diagnosis_not_removable' }],
    ['removing a diagnosis a symptom belongs to', command('RemoveDiagnosis', { code: 'F41.1' }), StillLinked, { linkedFrom: ['symptom sx-worry'] }],
    ['removing a diagnosis the plan does not have', command('RemoveDiagnosis', { code: 'F43.10' }), NotFoundInPlan, { code: 'diagnosis_not_found' }],
    ['making a missing diagnosis primary', command('SetPrimaryDiagnosis', { code: 'F43.10' }), NotFoundInPlan, { code: 'diagnosis_not_found' }],
    ['removing a symptom a goal addresses', command('RemoveSymptom', { symptomId: 'sx-low-mood' }), StillLinked, { linkedFrom: ['goal g-1'] }],
    ['removing an impairment a goal addresses', command('RemoveImpairment', { impairmentId: 'im-home' }), StillLinked, { linkedFrom: ['goal g-1'] }],
    ['removing a symptom the plan does not have', command('RemoveSymptom', { symptomId: 'sx-9' }), NotFoundInPlan, { code: 'symptom_not_found' }],
    ['removing an impairment the plan does not have', command('RemoveImpairment', { impairmentId: 'im-9' }), NotFoundInPlan, { code: 'impairment_not_found' }],
    ['adding a symptom twice', command('AddSymptom', { symptomId: 'sx-worry', diagnosisCode: 'F41.1', description: 'Worry' }), IdAlreadyUsed, { itemKind: 'symptom' }],
    ['adding a symptom of a missing diagnosis', command('AddSymptom', { symptomId: 'sx-9', diagnosisCode: 'F43.10', description: 'Flashbacks' }), NotFoundInPlan, { code: 'diagnosis_not_found' }],
    ['adding an impairment twice', command('AddImpairment', { impairmentId: 'im-home', diagnosisCode: 'F32.1', description: 'x' }), IdAlreadyUsed, { itemKind: 'impairment' }],
    ['adding an impairment without a description', command('AddImpairment', { impairmentId: 'im-9', diagnosisCode: 'F32.1', description: '' }), FieldInvalid, { field: 'description' }],
    ['changing to a session of 600 minutes', command('ChangeService', { service: { ...openPlanData.service, sessionMinutes: 600 } }), FieldInvalid, { field: 'service.sessionMinutes' }],
  ])('%s is refused', (_name, next, errorType, expected) => {
    given(drafting.events).when(next).thenThrows(errorType, expected);
  });

  test('a goal addressing a diagnosis directly keeps that diagnosis from being removed', () => {
    const linked = drafting.withGoal({ goalId: 'g-2', addresses: [{ kind: 'diagnosis', id: 'F41.1' }] }).run(command('RemoveSymptom', { symptomId: 'sx-worry' }));
    given(linked.events).when(command('RemoveDiagnosis', { code: 'F41.1' })).thenThrows(StillLinked, { linkedFrom: ['goal g-2'] });
  });

  test('the revision summary lists diagnoses, symptoms, impairments and service changes', () => {
    const events = drafting
      .run(
        command('AddDiagnosis', { code: 'F43.10' }),
        command('AddSymptom', { symptomId: 'sx-flash', diagnosisCode: 'F43.10', description: 'Flashbacks' }),
        command('RemoveSymptom', { symptomId: 'sx-worry' }),
        command('RemoveDiagnosis', { code: 'F41.1' }),
        command('ChangeService', { service: { ...openPlanData.service, sessionMinutes: 45 } }),
        sign('client', 2),
        sign('clinician', 2),
      )
      .events;
    const revised = events[events.length - 1];
    expect(revised).toMatchObject({
      type: 'PlanRevised',
      data: {
        changes: {
          diagnoses: { added: ['F43.10'], changed: [], removed: ['F41.1'] },
          symptoms: { added: ['sx-flash'], changed: [], removed: ['sx-worry'] },
          service: true,
        },
      },
    });
  });

  test('an item added and removed in the same revision is listed as removed only', () => {
    const events = drafting.run(
      command('AddSymptom', { symptomId: 'sx-tmp', diagnosisCode: 'F32.1', description: 'Typo' }),
      command('RemoveSymptom', { symptomId: 'sx-tmp' }),
    ).events;
    expect(opened(events).draft!.changes.symptoms).toEqual({ added: [], changed: [], removed: ['sx-tmp'] });
  });
});
