import type { PlanCommandInput } from './command-inputs';
import { AssessmentInvalid, FieldInvalid, IdAlreadyUsed, PlanIsClosed } from './errors';
import type { PlanEvent } from './events';
import { given, stateAfter } from './testing/given';
import {
  addGoal,
  aPlan,
  CLINICIAN_ID,
  command,
  day,
  gad7,
  phq9,
  PLAN_ID,
  proposeRevision,
  recordAssessment,
  sign,
  week,
} from './testing/plan-builders';
import type { OpenedPlan } from './plan-state';

const recorded = (assessmentId: string, instrument: 'PHQ-9' | 'GAD-7', items: number[], at: string) => {
  const total = items.reduce((sum, item) => sum + item, 0);
  return expect.objectContaining({
    type: 'AssessmentRecorded',
    data: expect.objectContaining({ planId: PLAN_ID, assessmentId, instrument, items, total, assessedAt: at }),
  });
};

describe('assessments', () => {
  const inEffect = aPlan().inEffect(day(0));

  test('an assessment is scored, banded and recorded with its LOINC code', () => {
    given(inEffect.events)
      .when(recordAssessment('a-1', 'PHQ-9', phq9(8), day(7)))
      .then([
        {
          type: 'AssessmentRecorded',
          data: {
            planId: PLAN_ID,
            assessmentId: 'a-1',
            instrument: 'PHQ-9',
            loinc: '44261-6',
            items: phq9(8),
            total: 8,
            band: 'mild',
            safetyFlag: false,
            assessedAt: day(7),
            by: CLINICIAN_ID,
          },
        },
      ]);
  });

  test('the first assessment is the baseline: without a safety flag it is recorded and nothing else', () => {
    given(inEffect.events).when(recordAssessment('a-1', 'PHQ-9', phq9(24), day(7))).thenTypes(['AssessmentRecorded']);
  });

  describe('the acceptance checks', () => {
    const baseline = inEffect.assessed('a-1', 'PHQ-9', phq9(8), day(7));

    test('a PHQ-9 rise from 8 to 16 records the assessment and exactly one symptoms change, mild to moderately severe', () => {
      given(baseline.events)
        .when(recordAssessment('a-2', 'PHQ-9', phq9(16), day(14)))
        .then([
          {
            type: 'AssessmentRecorded',
            data: {
              planId: PLAN_ID,
              assessmentId: 'a-2',
              instrument: 'PHQ-9',
              loinc: '44261-6',
              items: phq9(16),
              total: 16,
              band: 'moderately_severe',
              safetyFlag: false,
              assessedAt: day(14),
              by: CLINICIAN_ID,
            },
          },
          {
            type: 'SymptomsChanged',
            data: {
              planId: PLAN_ID,
              assessmentId: 'a-2',
              previousAssessmentId: 'a-1',
              instrument: 'PHQ-9',
              loinc: '44261-6',
              previousScore: 8,
              newScore: 16,
              previousBand: 'mild',
              newBand: 'moderately_severe',
              direction: 'worsened',
              reasons: ['reliable_change', 'band_change'],
              urgency: 'routine',
              occurredAt: day(14),
            },
          },
        ]);
    });

    test('a PHQ-9 move from 12 to 13 is noise: only the assessment is recorded', () => {
      const twelve = inEffect.assessed('a-1', 'PHQ-9', phq9(12), day(7));
      given(twelve.events).when(recordAssessment('a-2', 'PHQ-9', phq9(13), day(14))).then([recorded('a-2', 'PHQ-9', phq9(13), day(14))]);
    });

    test('a new PHQ-9 item-9 answer above 0 is an urgent safety flag', () => {
      const twelve = inEffect.assessed('a-1', 'PHQ-9', phq9(12), day(7));
      const [, changed] = given(twelve.events)
        .when(recordAssessment('a-2', 'PHQ-9', phq9(13, 1), day(14)))
        .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
      expect(changed.data).toMatchObject({ reasons: ['safety_flag'], urgency: 'urgent', previousScore: 12, newScore: 13 });
    });
  });

  test('a safety flag at the very first assessment is urgent, with no previous score and no direction', () => {
    const [, changed] = given(inEffect.events)
      .when(recordAssessment('a-1', 'PHQ-9', phq9(6, 2), day(7)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toEqual({
      planId: PLAN_ID,
      assessmentId: 'a-1',
      previousAssessmentId: null,
      instrument: 'PHQ-9',
      loinc: '44261-6',
      previousScore: null,
      newScore: 6,
      previousBand: null,
      newBand: 'mild',
      direction: null,
      reasons: ['safety_flag'],
      urgency: 'urgent',
      occurredAt: day(7),
    });
  });

  test('each instrument is compared with its own history', () => {
    const both = inEffect.assessed('a-1', 'PHQ-9', phq9(8), day(7)).assessed('a-2', 'GAD-7', gad7(16), day(7));
    given(both.events).when(recordAssessment('a-3', 'PHQ-9', phq9(9), day(14))).thenTypes(['AssessmentRecorded']);
    const [, changed] = given(both.events).when(recordAssessment('a-3', 'GAD-7', gad7(10), day(14))).thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ previousAssessmentId: 'a-2', instrument: 'GAD-7', loinc: '70274-6', previousScore: 16, direction: 'improved' });
  });

  test('non-response after 8 weeks of treatment, counted from the opening of the plan, is reported once', () => {
    const slow = inEffect.assessed('a-1', 'PHQ-9', phq9(18), week(0)).assessed('a-2', 'PHQ-9', phq9(12), week(4));
    const [, changed] = given(slow.events).when(recordAssessment('a-3', 'PHQ-9', phq9(11), week(8))).thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ reasons: ['non_response'], urgency: 'routine' });
    const reported = slow.assessed('a-3', 'PHQ-9', phq9(11), week(8));
    given(reported.events).when(recordAssessment('a-4', 'PHQ-9', phq9(12), week(9))).thenTypes(['AssessmentRecorded']);
  });

  test('a plateau over three assessments and six weeks at or above caseness is reported', () => {
    const flat = inEffect.assessed('a-1', 'GAD-7', gad7(12), week(0)).assessed('a-2', 'GAD-7', gad7(11), week(3));
    const [, changed] = given(flat.events).when(recordAssessment('a-3', 'GAD-7', gad7(12), week(6))).thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ reasons: ['plateau'] });
  });

  test('a symptoms change becomes a trigger a revision can answer', () => {
    const changed = inEffect.assessed('a-1', 'PHQ-9', phq9(8), day(7)).assessed('a-2', 'PHQ-9', phq9(16), day(14));
    expect((stateAfter(changed.events) as OpenedPlan).triggers).toEqual([
      { type: 'SymptomsChanged', id: 'a-2', occurredAt: day(14), answeredInRevision: null },
    ]);
  });

  test('assessments are recorded while a revision is open', () => {
    given(inEffect.revising().events).when(recordAssessment('a-1', 'GAD-7', gad7(9))).thenTypes(['AssessmentRecorded']);
  });

  test.each<[string, string, readonly number[], number | undefined, string[]]>([
    ['an unknown instrument', 'BDI-II', phq9(8), undefined, ['unknown_instrument']],
    ['a PHQ-9 with 8 items', 'PHQ-9', [1, 1, 1, 1, 1, 1, 1, 1], undefined, ['wrong_item_count']],
    ['a GAD-7 with 9 items', 'GAD-7', phq9(8), undefined, ['wrong_item_count']],
    ['an item of 4', 'PHQ-9', [4, 0, 0, 0, 0, 0, 0, 0, 0], undefined, ['item_out_of_range']],
    ['an item of -1', 'GAD-7', [-1, 0, 0, 0, 0, 0, 0], undefined, ['item_out_of_range']],
    ['an item of 2.5', 'GAD-7', [2.5, 0, 0, 0, 0, 0, 0], undefined, ['item_not_integer']],
    ['a declared total that disagrees with the items', 'PHQ-9', phq9(8), 9, ['total_mismatch']],
  ])('%s is refused with the reason and no event', (_name, instrument, items, declaredTotal, codes) => {
    const error = given(inEffect.events)
      .when(recordAssessment('a-1', instrument, items, day(1), declaredTotal))
      .thenThrows(AssessmentInvalid, { code: 'assessment_invalid', kind: 'invalid' });
    expect(error.scoringProblems.map((problem) => problem.code)).toEqual(codes);
    expect(error.message).toMatch(/^The assessment was not recorded: /);
  });

  test('an assessment id is used once per plan', () => {
    given(inEffect.assessed('a-1', 'PHQ-9', phq9(8)).events).when(recordAssessment('a-1', 'PHQ-9', phq9(8))).thenThrows(IdAlreadyUsed, { itemKind: 'assessment' });
  });
});

describe('life events', () => {
  const inEffect = aPlan().inEffect(day(0));
  const report = (data: Partial<Extract<PlanCommandInput, { type: 'ReportLifeEvent' }>['data']> = {}, at = day(10)) =>
    command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'employment_change', impact: 'major', occurredOn: '2025-03-10', description: 'Lost her job', ...data }, at);

  test('a lifestyle or environmental shift is reported with its category, impact and date, and becomes a trigger', () => {
    given(inEffect.events)
      .when(report())
      .then([
        {
          type: 'LifeEventReported',
          data: {
            planId: PLAN_ID,
            lifeEventId: 'le-1',
            category: 'employment_change',
            impact: 'major',
            occurredOn: '2025-03-10',
            description: 'Lost her job',
            reportedAt: day(10),
            by: CLINICIAN_ID,
          },
        },
      ]);
    expect((stateAfter(inEffect.run(report()).events) as OpenedPlan).triggers).toEqual([
      { type: 'LifeEventReported', id: 'le-1', occurredAt: day(10), answeredInRevision: null },
    ]);
  });

  test('a life event without a known date is reported', () => {
    given(inEffect.events).when(report({ occurredOn: null })).thenTypes(['LifeEventReported']);
  });

  test.each<[string, Parameters<typeof report>[0], string]>([
    ['an unknown category', { category: 'alien_abduction' as never }, 'category'],
    ['an unknown impact', { impact: 'huge' as never }, 'impact'],
    ['a malformed date', { occurredOn: '10 March' }, 'occurredOn'],
    ['no description', { description: '' }, 'description'],
    ['no id', { lifeEventId: '' }, 'lifeEventId'],
  ])('a life event with %s is refused', (_name, data, field) => {
    given(inEffect.events).when(report(data)).thenThrows(FieldInvalid, { field });
  });

  test('a life-event id is used once per plan', () => {
    given(inEffect.run(report()).events).when(report()).thenThrows(IdAlreadyUsed, { itemKind: 'life_event' });
  });
});

describe('closing the plan', () => {
  const inEffect = aPlan().inEffect(day(0));

  test('discharge closes the plan with its reason and the revision last in effect', () => {
    given(inEffect.events)
      .when(command('ClosePlan', { reason: 'treatment_completed', note: 'All goals met' }, day(90)))
      .then([
        {
          type: 'PlanClosed',
          data: {
            planId: PLAN_ID,
            reason: 'treatment_completed',
            note: 'All goals met',
            lastRevision: 1,
            withdrawnRevision: null,
            closedAt: day(90),
            by: CLINICIAN_ID,
          },
        },
      ]);
  });

  test('closing abandons an open draft revision', () => {
    const [closed] = given(inEffect.revising().events).when(command('ClosePlan', { reason: 'transferred' })).thenTypes(['PlanClosed']);
    expect(closed.data).toMatchObject({ lastRevision: 1, withdrawnRevision: 2 });
  });

  test('a plan closed before revision 1 took effect has no last revision', () => {
    const [closed] = given(aPlan().opened().events).when(command('ClosePlan', { reason: 'client_withdrew' })).thenTypes(['PlanClosed']);
    expect(closed.data).toMatchObject({ lastRevision: null, withdrawnRevision: 1 });
  });

  test('an unknown discharge reason is refused', () => {
    given(inEffect.events).when(command('ClosePlan', { reason: 'bored' as never })).thenThrows(FieldInvalid, { field: 'reason' });
  });

  const closed: readonly PlanEvent[] = inEffect.run(command('ClosePlan', { reason: 'treatment_completed' }, day(90))).events;
  test.each<PlanCommandInput>([
    proposeRevision(),
    command('WithdrawRevision', { revision: 2 }),
    addGoal({ goalId: 'g-2' }),
    command('MarkGoalMet', { goalId: 'g-1' }),
    command('MarkObjectiveMet', { objectiveId: 'o-1' }),
    recordAssessment('a-1', 'PHQ-9', phq9(3)),
    command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'relocation', impact: 'minor', occurredOn: null, description: 'Moved' }),
    sign('client', 2),
    command('ClosePlan', { reason: 'administrative' }),
  ])('$type after the plan was closed is refused', (next) => {
    given(closed).when(next).thenThrows(PlanIsClosed, { code: 'plan_closed', closedAt: day(90) });
  });

  test('the closed plan keeps its history for reading', () => {
    const plan = stateAfter(closed) as OpenedPlan;
    expect(plan).toMatchObject({ status: 'closed', revisionInEffect: 1, closure: { reason: 'treatment_completed', closedAt: day(90), closedBy: CLINICIAN_ID } });
    expect(plan.inEffect!.goals).toHaveLength(1);
  });
});
