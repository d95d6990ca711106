import { deciderSpecification } from '@golden-loop/decider/src/specification';
import type { PlanCommandInput } from './command-inputs';
import type { PlanCommand } from './commands';
import { FieldInvalid, IdAlreadyUsed, NotFoundInPlan, StillLinked } from './errors';
import { PLAN_EVENT_TYPES, type PlanEvent } from './events';
import { given, stateAfter } from './testing/given';
import {
  addGoal,
  addObjective,
  aPlan,
  CLIENT_ID,
  CLINICIAN_ID,
  command,
  day,
  openPlan,
  openPlanData,
  PAYER_ID,
  phq9,
  PLAN_ID,
  proposeRevision,
  recordAssessment,
  type PlanStory,
  week,
} from './testing/plan-builders';
import { initialState, isInEffect, type OpenedPlan } from './plan-state';
import { treatmentPlanDecider } from './treatment-plan';

// What the plan holds after each change: the draft a clinician is editing, the revision both sign, the plan in
// effect and the events a revision answers (the state the read side shows). Each history is built inside its test.

const plan = (story: PlanStory) => stateAfter(story.events) as OpenedPlan;
const draftOf = (story: PlanStory) => plan(story).draft!;
const statuses = <T extends { readonly status: string }>(items: readonly T[], id: (item: T) => string) =>
  Object.fromEntries(items.map((item) => [id(item), item.status]));

/** In effect (revision 1): g-1 with o-1 (i-1, i-3) and o-2 (i-2); g-2 with o-3 (i-4). */
const twoGoals = () =>
  aPlan()
    .opened()
    .withGoal()
    .withGoal({ goalId: 'g-2', clinicalGoal: 'Reduce worry', addresses: [{ kind: 'symptom', id: 'sx-worry' }] })
    .withObjective()
    .withObjective({ objectiveId: 'o-2', description: 'Out of the house three days a week' })
    .withObjective({ objectiveId: 'o-3', goalId: 'g-2', description: 'GAD-7 below 10' })
    .withIntervention()
    .withIntervention({ interventionId: 'i-2', objectiveId: 'o-2' })
    .withIntervention({ interventionId: 'i-3', modality: 'cbt' })
    .withIntervention({ interventionId: 'i-4', objectiveId: 'o-3', modality: 'cbt' })
    .signedByBoth();

describe('a plan just opened', () => {
  test('holds revision 1 as its draft: the content given, nothing in effect, nothing recorded yet', () => {
    const { diagnoses, symptoms, impairments, service, presentingProblem, strengths } = openPlanData;
    expect(plan(aPlan().opened())).toEqual({
      status: 'open',
      planId: PLAN_ID,
      clientId: CLIENT_ID,
      clinicianId: CLINICIAN_ID,
      payerId: PAYER_ID,
      openedAt: day(0),
      inEffect: null,
      revisionInEffect: null,
      draft: {
        revision: 1,
        reason: 'initial_plan',
        note: null,
        triggers: [],
        proposedAt: day(0),
        proposedBy: CLINICIAN_ID,
        content: {
          presentingProblem,
          strengths,
          service,
          diagnoses: diagnoses.map((diagnosis) => ({ description: null, ...diagnosis })),
          symptoms,
          impairments,
          goals: [],
          objectives: [],
          interventions: [],
        },
        changes: {
          goals: { added: [], changed: [], removed: [] },
          objectives: { added: [], changed: [], removed: [] },
          interventions: { added: [], changed: [], removed: [] },
          diagnoses: { added: ['F32.1', 'F41.1'], changed: [], removed: [] },
          symptoms: { added: ['sx-low-mood', 'sx-worry'], changed: [], removed: [] },
          impairments: { added: ['im-home'], changed: [], removed: [] },
          service: true,
        },
        attestations: [],
      },
      revisions: [],
      assessments: [],
      series: {},
      lifeEvents: [],
      triggers: [],
      closure: null,
    });
  });

  test('an event of a plan never opened changes nothing', () => {
    const stray: PlanEvent = { type: 'RevisionWithdrawn', data: { planId: PLAN_ID, revision: 2, note: null, withdrawnAt: day(0), by: CLINICIAN_ID } };
    expect(stateAfter([stray])).toEqual(initialState());
  });

  test('an event type this build does not know (written by a newer one) changes nothing', () => {
    const opened = aPlan().opened().withGoal();
    const unknown = { type: 'GoalPaused', data: { planId: PLAN_ID, goalId: 'g-1' } } as unknown as PlanEvent;
    expect(stateAfter([...opened.events, unknown])).toEqual(stateAfter(opened.events));
  });

  test('a command this build does not know is field_invalid on type', () => {
    const unknown = { type: 'PauseGoal', data: { goalId: 'g-1' }, metadata: { now: day(0), userId: CLINICIAN_ID } } as unknown as PlanCommandInput;
    given(aPlan().opened().events).when(unknown).thenThrows(FieldInvalid, { code: 'field_invalid', field: 'type', message: 'Unknown command PauseGoal.' });
  });

  test('the decider itself refuses a command this build does not know, as parsing does', () => {
    const unknown = { type: 'PauseGoal', data: { goalId: 'g-1' }, metadata: { now: day(0), userId: CLINICIAN_ID } } as unknown as PlanCommand;
    deciderSpecification(treatmentPlanDecider)(aPlan().opened().events)
      .when(unknown)
      .thenThrows(FieldInvalid, { code: 'field_invalid', field: 'type', message: 'Unknown command PauseGoal.' });
  });
});

describe('the events the plan stores', () => {
  test('PLAN_EVENT_TYPES names every one, and every event decided is one of them', () => {
    expect([...PLAN_EVENT_TYPES].sort()).toEqual(
      [
        'PlanOpened', 'RevisionProposed', 'RevisionWithdrawn', 'DiagnosisAdded', 'DiagnosisRemoved', 'PrimaryDiagnosisChanged',
        'SymptomAdded', 'SymptomRemoved', 'ImpairmentAdded', 'ImpairmentRemoved', 'ServiceChanged', 'GoalAdded', 'GoalRevised',
        'GoalDiscontinued', 'GoalMet', 'ObjectiveAdded', 'ObjectiveRevised', 'ObjectiveDiscontinued', 'ObjectiveMet',
        'InterventionAdded', 'InterventionDiscontinued', 'AssessmentRecorded', 'SymptomsChanged', 'LifeEventReported',
        'RevisionSignaturesVoided', 'PlanSigned', 'PlanRevised', 'PlanClosed',
      ].sort(),
    );
    const story = twoGoals().assessed('a-1', 'PHQ-9', phq9(4)).assessed('a-2', 'PHQ-9', phq9(20)).revising().withGoal({ goalId: 'g-3' });
    expect(story.events.every((event) => PLAN_EVENT_TYPES.includes(event.type))).toBe(true);
  });
});

describe('a plan in effect', () => {
  test('is in effect from the second signature of revision 1 until it is closed', () => {
    expect(isInEffect(initialState())).toBe(false);
    expect(isInEffect(plan(aPlan().opened().withGoal()))).toBe(false);
    const inEffect = aPlan().inEffect();
    expect(isInEffect(plan(inEffect))).toBe(true);
    expect(isInEffect(plan(inEffect.revising()))).toBe(true);
    expect(isInEffect(plan(inEffect.run(command('ClosePlan', { reason: 'treatment_completed' }))))).toBe(false);
  });
});

describe('what a change in a revision leaves in the draft', () => {
  test('revising a goal changes that goal only, and the summary lists it as changed', () => {
    const draft = draftOf(twoGoals().revising().run(command('ReviseGoal', { goalId: 'g-2', clientGoal: 'Worry less about money' })));
    expect(draft.content.goals.map((goal) => [goal.goalId, goal.clientGoal, goal.clinicalGoal])).toEqual([
      ['g-1', 'I want to get out of the house and see my friends again', 'Reduce depressive symptoms and restore social functioning through behavioural activation'],
      ['g-2', 'Worry less about money', 'Reduce worry'],
    ]);
    expect(draft.changes.goals).toEqual({ added: [], changed: ['g-2'], removed: [] });
  });

  test('a goal revised in part keeps the rest; its links may change alone', () => {
    const drafting = aPlan().opened().withGoal();
    const [clinical] = given(drafting.events).when(command('ReviseGoal', { goalId: 'g-1', clinicalGoal: ' Restore routine ' })).thenTypes(['GoalRevised']);
    expect(clinical.data).toMatchObject({ clientGoal: 'I want to get out of the house and see my friends again', clinicalGoal: 'Restore routine' });
    const [links] = given(drafting.events)
      .when(command('ReviseGoal', { goalId: 'g-1', addresses: [{ kind: 'impairment', id: 'im-home' }] }))
      .thenTypes(['GoalRevised']);
    expect(links.data).toMatchObject({
      clientGoal: 'I want to get out of the house and see my friends again',
      clinicalGoal: 'Reduce depressive symptoms and restore social functioning through behavioural activation',
      addresses: [{ kind: 'impairment', id: 'im-home' }],
      diagnosisCodes: ['F32.1'],
    });
  });

  test('discontinuing a goal ends it and its active objectives, not one already met nor another goal’s', () => {
    const metO2 = twoGoals().run(command('MarkObjectiveMet', { objectiveId: 'o-2' })).revising();
    const events = given(metO2.events).when(command('DiscontinueGoal', { goalId: 'g-1' })).thenTypes(['GoalDiscontinued', 'ObjectiveDiscontinued', 'InterventionDiscontinued', 'InterventionDiscontinued']);
    expect(events.slice(1).map((event) => event.data)).toMatchObject([{ objectiveId: 'o-1' }, { interventionId: 'i-1' }, { interventionId: 'i-3' }]);
    const draft = draftOf(metO2.run(command('DiscontinueGoal', { goalId: 'g-1' })));
    expect(statuses(draft.content.goals, (goal) => goal.goalId)).toEqual({ 'g-1': 'discontinued', 'g-2': 'active' });
    expect(statuses(draft.content.objectives, (objective) => objective.objectiveId)).toEqual({ 'o-1': 'discontinued', 'o-2': 'met', 'o-3': 'active' });
    expect(draft.changes).toMatchObject({
      goals: { added: [], changed: [], removed: ['g-1'] },
      objectives: { added: [], changed: [], removed: ['o-1'] },
      interventions: { added: [], changed: [], removed: ['i-1', 'i-3'] },
    });
  });

  test('discontinuing an objective ends its active interventions only', () => {
    const drafting = twoGoals().revising().run(command('DiscontinueIntervention', { interventionId: 'i-3' }));
    given(drafting.events).when(command('DiscontinueObjective', { objectiveId: 'o-1' })).thenTypes(['ObjectiveDiscontinued', 'InterventionDiscontinued']);
    const draft = draftOf(drafting.run(command('DiscontinueObjective', { objectiveId: 'o-1' })));
    expect(statuses(draft.content.objectives, (objective) => objective.objectiveId)).toEqual({ 'o-1': 'discontinued', 'o-2': 'active', 'o-3': 'active' });
    expect(statuses(draft.content.interventions, (intervention) => intervention.interventionId)).toEqual({
      'i-1': 'discontinued',
      'i-2': 'active',
      'i-3': 'discontinued',
      'i-4': 'active',
    });
  });

  test('revising an objective changes that objective only; a revision may clear its measure and target date', () => {
    const drafting = twoGoals().revising();
    const draft = draftOf(drafting.run(command('ReviseObjective', { objectiveId: 'o-3', measure: null, targetDate: null })));
    expect(draft.content.objectives.map((objective) => [objective.objectiveId, objective.description, objective.measure?.kind ?? null, objective.targetDate])).toEqual([
      ['o-1', 'PHQ-9 below 10 by June', 'instrument', '2025-06-02'],
      ['o-2', 'Out of the house three days a week', 'instrument', '2025-06-02'],
      ['o-3', 'GAD-7 below 10', null, null],
    ]);
    expect(draft.changes.objectives).toEqual({ added: [], changed: ['o-3'], removed: [] });
    const [described] = given(drafting.events).when(command('ReviseObjective', { objectiveId: 'o-1', description: ' PHQ-9 below 5 ' })).thenTypes(['ObjectiveRevised']);
    expect(described.data).toMatchObject({ description: 'PHQ-9 below 5', measure: { kind: 'instrument', baseline: 16, target: 9 }, targetDate: '2025-06-02' });
    const [moved] = given(drafting.events).when(command('ReviseObjective', { objectiveId: 'o-1', targetDate: '2025-09-01' })).thenTypes(['ObjectiveRevised']);
    expect(moved.data).toMatchObject({ description: 'PHQ-9 below 10 by June', targetDate: '2025-09-01' });
  });

  test('an objective without a measure or a target date is added with neither (the advisories ask for them)', () => {
    for (const absent of [null, undefined]) {
      const [added] = given(aPlan().opened().withGoal().events).when(addObjective({ measure: absent, targetDate: absent })).thenTypes(['ObjectiveAdded']);
      expect(added.data).toMatchObject({ objective: { measure: null, targetDate: null } });
    }
  });

  test('removing a diagnosis, a symptom and an impairment nothing addresses takes each out of the draft', () => {
    const unlinked = aPlan()
      .inEffect()
      .revising()
      .run(command('AddImpairment', { impairmentId: 'im-sleep', diagnosisCode: 'F41.1', description: 'Sleeps four hours' }));
    given(unlinked.events)
      .when(command('RemoveImpairment', { impairmentId: 'im-sleep' }, day(2)))
      .then([{ type: 'ImpairmentRemoved', data: { planId: PLAN_ID, revision: 2, by: CLINICIAN_ID, impairmentId: 'im-sleep', diagnosisCode: 'F41.1', removedAt: day(2) } }]);
    const removed = unlinked.run(
      command('RemoveImpairment', { impairmentId: 'im-sleep' }),
      command('RemoveSymptom', { symptomId: 'sx-worry' }),
      command('RemoveDiagnosis', { code: 'F41.1' }),
    );
    const draft = draftOf(removed);
    expect(draft.content.diagnoses.map((diagnosis) => diagnosis.code)).toEqual(['F32.1']);
    expect(draft.content.symptoms.map((symptom) => symptom.symptomId)).toEqual(['sx-low-mood']);
    expect(draft.content.impairments.map((impairment) => impairment.impairmentId)).toEqual(['im-home']);
    expect(draft.changes).toMatchObject({
      diagnoses: { added: [], changed: [], removed: ['F41.1'] },
      symptoms: { added: [], changed: [], removed: ['sx-worry'] },
      impairments: { added: [], changed: [], removed: ['im-sleep'] },
    });
  });

  test('an impairment a goal addresses is not removed: still_linked, naming the goal', () => {
    given(aPlan().opened().withGoal().events)
      .when(command('RemoveImpairment', { impairmentId: 'im-home' }))
      .thenThrows(StillLinked, {
        code: 'still_linked',
        itemKind: 'impairment',
        id: 'im-home',
        linkedFrom: ['goal g-1'],
        message: 'The functional impairment im-home is still addressed by goal g-1; relink or remove those first.',
      });
  });

  test('the summary lists an item once: changed twice is changed, added then changed is added', () => {
    const draft = draftOf(
      twoGoals()
        .revising()
        .withGoal({ goalId: 'g-3' })
        .run(
          command('ReviseGoal', { goalId: 'g-2', clientGoal: 'Worry less' }),
          command('ReviseGoal', { goalId: 'g-2', clientGoal: 'Worry much less' }),
          command('ReviseGoal', { goalId: 'g-3', clientGoal: 'A new goal, reworded' }),
        ),
    );
    expect(draft.changes.goals).toEqual({ added: ['g-3'], changed: ['g-2'], removed: [] });
  });

  test('an impairment added in a revision is listed as added', () => {
    const draft = draftOf(
      aPlan()
        .inEffect()
        .revising()
        .run(command('AddImpairment', { impairmentId: 'im-work', diagnosisCode: 'F41.1', description: 'Cannot open letters from work' })),
    );
    expect(draft.changes.impairments).toEqual({ added: ['im-work'], changed: [], removed: [] });
    expect(draft.content.impairments.map((impairment) => impairment.impairmentId)).toEqual(['im-home', 'im-work']);
  });

  test('the primary diagnosis changed twice: each change names the primary it replaces', () => {
    const drafting = aPlan()
      .inEffect()
      .revising()
      .run(command('AddDiagnosis', { code: 'F43.10' }), command('SetPrimaryDiagnosis', { code: 'F41.1' }));
    given(drafting.events)
      .when(command('SetPrimaryDiagnosis', { code: 'F43.10' }))
      .then([{ type: 'PrimaryDiagnosisChanged', data: { planId: PLAN_ID, revision: 2, by: CLINICIAN_ID, previousCode: 'F41.1', code: 'F43.10', changedAt: day(0) } }]);
  });
});

describe('ids and links among several items', () => {
  test('a plan opens with several impairments, each its own id', () => {
    const impairments = [
      { impairmentId: 'im-home', diagnosisCode: 'F32.1', description: 'Stays in' },
      { impairmentId: 'im-work', diagnosisCode: 'F41.1', description: 'Cannot open letters from work' },
    ];
    const [opened] = given([]).when(openPlan({ impairments })).thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ impairments });
    given([])
      .when(openPlan({ impairments: [...impairments, { ...impairments[0], description: 'Again' }] }))
      .thenThrows(IdAlreadyUsed, { itemKind: 'impairment', id: 'im-home', field: 'impairments[2].impairmentId' });
  });

  test('among several impairments, one id is still used once', () => {
    const two = aPlan()
      .opened()
      .run(command('AddImpairment', { impairmentId: 'im-work', diagnosisCode: 'F41.1', description: 'Cannot open letters from work' }));
    given(two.events)
      .when(command('AddImpairment', { impairmentId: 'im-home', diagnosisCode: 'F41.1', description: 'Again' }))
      .thenThrows(IdAlreadyUsed, { itemKind: 'impairment', id: 'im-home', field: 'impairmentId' });
  });

  test('a goal addresses any of several symptoms and impairments, each once; what it names must be in the plan', () => {
    const two = aPlan()
      .opened()
      .run(command('AddImpairment', { impairmentId: 'im-work', diagnosisCode: 'F41.1', description: 'Cannot open letters from work' }));
    const addresses = [
      { kind: 'symptom', id: 'sx-low-mood' },
      { kind: 'symptom', id: 'sx-worry' },
      { kind: 'impairment', id: 'im-work' },
    ] as const;
    const [added] = given(two.events).when(addGoal({ addresses })).thenTypes(['GoalAdded']);
    expect(added.data).toMatchObject({ goal: { addresses }, diagnosisCodes: ['F32.1', 'F41.1'] });
    const traced = (link: { kind: 'symptom' | 'impairment'; id: string }) =>
      given(two.events).when(addGoal({ addresses: [link] })).thenTypes(['GoalAdded'])[0].data;
    expect(traced({ kind: 'symptom', id: 'sx-worry' })).toMatchObject({ diagnosisCodes: ['F41.1'] });
    expect(traced({ kind: 'impairment', id: 'im-work' })).toMatchObject({ diagnosisCodes: ['F41.1'] });
    given(two.events)
      .when(addGoal({ addresses: [{ kind: 'symptom', id: 'sx-low-mood' }, { kind: 'symptom', id: 'sx-9' }] }))
      .thenThrows(NotFoundInPlan, { code: 'symptom_not_found', field: 'addresses[1].id', message: 'This plan has no symptom sx-9.' });
    given(two.events)
      .when(addGoal({ addresses: [{ kind: 'impairment', id: 'im-9' }] }))
      .thenThrows(NotFoundInPlan, { code: 'impairment_not_found', field: 'addresses[0].id', message: 'This plan has no functional impairment im-9.' });
  });

  test('ids are per kind: a symptom and an impairment may share one, and a goal tells them apart', () => {
    const shared = aPlan()
      .opened({
        symptoms: [...openPlanData.symptoms, { symptomId: 'p-1', diagnosisCode: 'F32.1', description: 'Poor sleep' }],
        impairments: [...openPlanData.impairments, { impairmentId: 'p-1', diagnosisCode: 'F41.1', description: 'Misses work' }],
      })
      .withGoal({ addresses: [{ kind: 'impairment', id: 'p-1' }] });
    const [both] = given(shared.events)
      .when(addGoal({ goalId: 'g-2', addresses: [{ kind: 'symptom', id: 'p-1' }, { kind: 'impairment', id: 'p-1' }] }))
      .thenTypes(['GoalAdded']);
    expect(both.data).toMatchObject({ diagnosisCodes: ['F32.1', 'F41.1'] });
    given(shared.events).when(command('RemoveSymptom', { symptomId: 'p-1' })).thenTypes(['SymptomRemoved']);
  });

  test('a link that is no object is field_invalid on its kind', () => {
    given(aPlan().opened().events)
      .when(addGoal({ addresses: [null as never] }))
      .thenThrows(FieldInvalid, { field: 'addresses[0].kind', message: 'What the goal addresses must be one of diagnosis, symptom, impairment.' });
  });

  test('several life events are reported, each under its own id', () => {
    const report = (lifeEventId: string): PlanCommandInput =>
      command('ReportLifeEvent', { lifeEventId, category: 'employment_change', impact: 'moderate', occurredOn: null, description: 'Started a new job' });
    const one = aPlan().inEffect().run(report('le-1'));
    given(one.events).when(report('le-2')).thenTypes(['LifeEventReported']);
  });

  test('a goal met while no revision is open must be one of the plan: goal_not_found otherwise', () => {
    given(twoGoals().events)
      .when(command('MarkGoalMet', { goalId: 'g-9' }))
      .thenThrows(NotFoundInPlan, { code: 'goal_not_found', field: 'goalId', message: 'This plan has no goal g-9.' });
    const [met] = given(twoGoals().events).when(command('MarkGoalMet', { goalId: 'g-2' })).thenTypes(['GoalMet']);
    expect(met.data).toMatchObject({ goalId: 'g-2' });
  });
});

describe('objectives met', () => {
  test('an objective added in the open draft can be met; the plan in effect does not have it yet', () => {
    const drafting = twoGoals().revising().withObjective({ objectiveId: 'o-new' });
    const [met] = given(drafting.events).when(command('MarkObjectiveMet', { objectiveId: 'o-new' }, day(3))).thenTypes(['ObjectiveMet']);
    expect(met.data).toEqual({ planId: PLAN_ID, goalId: 'g-1', objectiveId: 'o-new', metAt: day(3), by: CLINICIAN_ID });
  });

  test('meeting one objective leaves the others active, in effect and in the draft', () => {
    const met = plan(twoGoals().revising().run(command('MarkObjectiveMet', { objectiveId: 'o-1' })));
    expect(statuses(met.inEffect!.objectives, (objective) => objective.objectiveId)).toEqual({ 'o-1': 'met', 'o-2': 'active', 'o-3': 'active' });
    expect(statuses(met.draft!.content.objectives, (objective) => objective.objectiveId)).toEqual({ 'o-1': 'met', 'o-2': 'active', 'o-3': 'active' });
  });

  test('an objective unknown to a plan not yet in effect: objective_not_found', () => {
    given(aPlan().opened().withGoal().events)
      .when(command('MarkObjectiveMet', { objectiveId: 'o-9' }))
      .thenThrows(NotFoundInPlan, { code: 'objective_not_found', field: 'objectiveId', message: 'This plan has no objective o-9.' });
  });
});

describe('the events a revision answers', () => {
  test('a revision answers only the triggers it names, told apart by type and id', () => {
    // An assessment and a life event may share an id: the trigger is the pair.
    const withTriggers = aPlan()
      .inEffect()
      .assessed('e-1', 'PHQ-9', phq9(4), day(1))
      .assessed('e-2', 'PHQ-9', phq9(20), day(8))
      .run(
        command('ReportLifeEvent', { lifeEventId: 'e-2', category: 'bereavement', impact: 'major', occurredOn: null, description: 'Her father died' }, day(9)),
        recordAssessment('e-3', 'GAD-7', [3, 3, 3, 3, 3, 3, 3], day(9)),
      );
    expect(plan(withTriggers).triggers.map((trigger) => `${trigger.type} ${trigger.id}`)).toEqual(['SymptomsChanged e-2', 'LifeEventReported e-2']);
    const answered = withTriggers
      .run(proposeRevision({ reason: 'life_event', triggers: [{ type: 'LifeEventReported', id: 'e-2' }] }, day(10)))
      .withGoal({ goalId: 'g-2' }, day(10))
      .signedByBoth(2, day(10));
    expect(plan(answered).triggers).toEqual([
      { type: 'SymptomsChanged', id: 'e-2', occurredAt: day(8), answeredInRevision: null },
      { type: 'LifeEventReported', id: 'e-2', occurredAt: day(9), answeredInRevision: 2 },
    ]);
  });

  test('a revision may answer both triggers that share an id', () => {
    const withTriggers = aPlan()
      .inEffect()
      .assessed('e-1', 'PHQ-9', phq9(4), day(1))
      .assessed('e-2', 'PHQ-9', phq9(20), day(8))
      .run(command('ReportLifeEvent', { lifeEventId: 'e-2', category: 'bereavement', impact: 'major', occurredOn: null, description: 'Her father died' }, day(9)));
    const both = [
      { type: 'SymptomsChanged', id: 'e-2' },
      { type: 'LifeEventReported', id: 'e-2' },
    ] as const;
    const [proposed] = given(withTriggers.events).when(proposeRevision({ reason: 'life_event', triggers: both })).thenTypes(['RevisionProposed']);
    expect(proposed.data).toMatchObject({ triggers: both });
    const answered = withTriggers.run(proposeRevision({ reason: 'life_event', triggers: both })).withGoal({ goalId: 'g-2' }).signedByBoth(2);
    expect(plan(answered).triggers.map((trigger) => trigger.answeredInRevision)).toEqual([2, 2]);
  });

  test('a revision answers some triggers of one type and not others', () => {
    const report = (lifeEventId: string): PlanCommandInput =>
      command('ReportLifeEvent', { lifeEventId, category: 'relocation', impact: 'moderate', occurredOn: null, description: 'Moved house' });
    const two = aPlan().inEffect().run(report('le-1'), report('le-2'));
    const both = [
      { type: 'LifeEventReported', id: 'le-1' },
      { type: 'LifeEventReported', id: 'le-2' },
    ] as const;
    given(two.events).when(proposeRevision({ reason: 'life_event', triggers: both })).thenTypes(['RevisionProposed']);
    const answered = two.run(proposeRevision({ reason: 'life_event', triggers: [both[1]] })).withGoal({ goalId: 'g-2' }).signedByBoth(2);
    expect(plan(answered).triggers.map((trigger) => [trigger.id, trigger.answeredInRevision])).toEqual([
      ['le-1', null],
      ['le-2', 2],
    ]);
  });
});

describe('the score series the change rules read', () => {
  test('each instrument in administered order, with its times parsed; a score entered late goes in its place, one given at the same time after it', () => {
    const story = aPlan()
      .inEffect(week(0))
      .assessedGiven('a-1', 'PHQ-9', phq9(18), week(0))
      .assessedGiven('a-3', 'PHQ-9', phq9(12), week(4))
      .assessedGiven('g-1', 'GAD-7', [1, 1, 1, 1, 1, 1, 1], week(1))
      .assessedGiven('a-2', 'PHQ-9', phq9(15), week(2), week(5))
      .assessedGiven('a-4', 'PHQ-9', phq9(11), week(4), week(5));
    const { series, assessments } = plan(story);
    expect(series['PHQ-9']!.map((score) => score.assessmentId)).toEqual(['a-1', 'a-2', 'a-3', 'a-4']);
    expect(series['PHQ-9']![1]).toEqual({ assessmentId: 'a-2', instrument: 'PHQ-9', total: 15, safetyFlag: false, at: week(2), time: Date.parse(week(2)) });
    expect(series['GAD-7']!.map((score) => [score.assessmentId, score.total])).toEqual([['g-1', 7]]);
    // The plan's own list keeps the order they were recorded in.
    expect(assessments.map((assessment) => assessment.assessmentId)).toEqual(['a-1', 'a-3', 'g-1', 'a-2', 'a-4']);
  });
});
