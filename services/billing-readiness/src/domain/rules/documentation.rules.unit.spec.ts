import type { RevisedPlan } from '../events';
import { aCompliantPlan, aRevisedPlan } from '../testing/readiness-builders';
import { aRule, contextAt } from '../testing/rule-builders';
import {
  activeGoalFocus,
  activeGoalRequired,
  goalsLinkedToDiagnosis,
  interventionsDocumented,
  objectivesMeasurable,
  objectiveTargetDates,
  primaryDiagnosisCovered,
  serviceParametersStated,
} from './documentation.rules';

// The plan's content as a payer reads it (docs/clinical-rules.md, "Payer medical-necessity checks"; docs/payer-rules.md): each
// rule reads the revision in effect; a draft nobody signed documents nothing yet.

const inEffect = (plan: Partial<RevisedPlan>) => aCompliantPlan({ revisions: [{ ...aCompliantPlan().revisions[0], plan: aRevisedPlan(plan) }] });
const notInEffect = aCompliantPlan({ revisions: [] });
const none = { findings: [], boundaries: [] };
const goal = (goalId: string, status: 'active' | 'met' | 'discontinued', diagnosisCodes: string[] = ['F33.1']) => ({ goalId, status, diagnosisCodes });
const objective = aRevisedPlan().objectives[0];
const intervention = aRevisedPlan().interventions[0];

describe('primary-diagnosis-covered: the primary diagnosis is in a covered range (F01–F99; Z-codes not as primary)', () => {
  const rule = aRule('primary-diagnosis-covered', { coveredRanges: [{ from: 'F01', to: 'F99' }] });

  test('holds for a covered primary diagnosis of the revision in effect', () => {
    expect(primaryDiagnosisCovered(rule, aCompliantPlan(), contextAt())).toEqual(none);
  });

  test('a primary diagnosis outside the ranges: primary_diagnosis_not_covered, naming it', () => {
    const plan = inEffect({ diagnoses: [{ code: 'Z63.0', rank: 'primary' }, { code: 'F41.1', rank: 'secondary' }] });
    expect(primaryDiagnosisCovered(rule, plan, contextAt()).findings).toEqual([
      { code: 'primary_diagnosis_not_covered', rule: 'test.primary-diagnosis-covered', severity: 'error', evidence: { diagnosisCodes: ['Z63.0'] }, fix: { code: 'add_covered_primary_diagnosis' } },
    ]);
  });

  test('no primary diagnosis: primary_diagnosis_missing, naming the diagnoses there are', () => {
    expect(primaryDiagnosisCovered(rule, inEffect({ diagnoses: [{ code: 'F41.1', rank: 'secondary' }] }), contextAt()).findings).toEqual([
      { code: 'primary_diagnosis_missing', rule: 'test.primary-diagnosis-covered', severity: 'error', evidence: { diagnosisCodes: ['F41.1'] }, fix: { code: 'add_covered_primary_diagnosis' } },
    ]);
  });

  test('before a revision is in effect, the diagnoses of the opening are read; with none known, the primary is missing', () => {
    const opened = notInEffect.opened!;
    expect(primaryDiagnosisCovered(rule, { ...notInEffect, opened: { ...opened, diagnoses: [{ code: 'Z63.0', rank: 'primary' }] } }, contextAt()).findings.map((f) => f.code)).toEqual(['primary_diagnosis_not_covered']);
    expect(primaryDiagnosisCovered(rule, { ...notInEffect, opened: null }, contextAt()).findings[0].evidence).toStrictEqual({ diagnosisCodes: [] });
  });
});

describe('goals-linked-to-diagnosis: every active goal names a diagnosis of the plan (docs/clinical-rules.md rule 5)', () => {
  const rule = aRule('goals-linked-to-diagnosis', {});

  test('an active goal naming none of the plan\'s diagnoses: goal_not_linked_to_diagnosis, naming those goals only', () => {
    const plan = inEffect({ goals: [goal('g-linked', 'active'), goal('g-unlinked', 'active', ['F41.1']), goal('g-met', 'met', ['F41.1'])] });
    expect(goalsLinkedToDiagnosis(rule, plan, contextAt())).toEqual({
      findings: [{ code: 'goal_not_linked_to_diagnosis', rule: 'test.goals-linked-to-diagnosis', severity: 'error', evidence: { goalIds: ['g-unlinked'] }, fix: { code: 'link_goal_to_diagnosis' } }],
      boundaries: [],
    });
  });

  test('a goal linked to any one of the plan\'s diagnoses holds; nothing is read before a revision is in effect', () => {
    expect(goalsLinkedToDiagnosis(rule, inEffect({ goals: [goal('g', 'active', ['F41.1', 'F33.1'])] }), contextAt())).toEqual(none);
    expect(goalsLinkedToDiagnosis(rule, notInEffect, contextAt())).toEqual(none);
  });
});

describe('active-goal-required and active-goal-focus (docs/clinical-rules.md rules 2 and 8)', () => {
  const required = aRule('active-goal-required', {});
  const focus = aRule('active-goal-focus', { maxActiveGoals: 3 }, { severity: 'warning' });

  test('no active goal: no_active_goal', () => {
    expect(activeGoalRequired(required, inEffect({ goals: [goal('g', 'met')] }), contextAt())).toEqual({
      findings: [{ code: 'no_active_goal', rule: 'test.active-goal-required', severity: 'error', evidence: { activeGoalCount: 0 }, fix: { code: 'add_active_goal' } }],
      boundaries: [],
    });
    expect(activeGoalRequired(required, aCompliantPlan(), contextAt())).toEqual(none);
    expect(activeGoalRequired(required, notInEffect, contextAt())).toEqual(none);
  });

  test('up to maxActiveGoals active goals hold; one more is too_many_active_goals (advisory as shipped)', () => {
    const goals = (n: number) => [...Array.from({ length: n }, (_, i) => goal(`g-${i}`, 'active')), goal('g-met', 'met')];
    expect(activeGoalFocus(focus, inEffect({ goals: goals(3) }), contextAt())).toEqual(none);
    expect(activeGoalFocus(focus, inEffect({ goals: goals(4) }), contextAt())).toEqual({
      findings: [{ code: 'too_many_active_goals', rule: 'test.active-goal-focus', severity: 'warning', evidence: { activeGoalCount: 4 }, fix: { code: 'focus_active_goals' } }],
      boundaries: [],
    });
    expect(activeGoalFocus(focus, notInEffect, contextAt())).toEqual(none);
  });
});

describe('objectives-measurable and objective-target-dates: every active objective has a measure and a target date (docs/clinical-rules.md rule 7)', () => {
  const measurable = aRule('objectives-measurable', {});
  const dated = aRule('objective-target-dates', {});
  const objectives = [
    { ...objective, objectiveId: 'o-ok' },
    { ...objective, objectiveId: 'o-unmeasured', measure: null },
    { ...objective, objectiveId: 'o-undated', targetDate: null },
    { ...objective, objectiveId: 'o-met', status: 'met' as const, measure: null, targetDate: null },
  ];

  test('an active objective without a measure: objective_not_measurable, naming it', () => {
    expect(objectivesMeasurable(measurable, inEffect({ objectives }), contextAt())).toEqual({
      findings: [{ code: 'objective_not_measurable', rule: 'test.objectives-measurable', severity: 'error', evidence: { objectiveIds: ['o-unmeasured'] }, fix: { code: 'make_objective_measurable' } }],
      boundaries: [],
    });
  });

  test('an active objective without a target date: objective_target_date_missing, naming it', () => {
    expect(objectiveTargetDates(dated, inEffect({ objectives }), contextAt())).toEqual({
      findings: [{ code: 'objective_target_date_missing', rule: 'test.objective-target-dates', severity: 'error', evidence: { objectiveIds: ['o-undated'] }, fix: { code: 'set_objective_target_date' } }],
      boundaries: [],
    });
  });

  test('hold on a compliant plan and before a revision is in effect', () => {
    for (const plan of [aCompliantPlan(), notInEffect]) {
      expect(objectivesMeasurable(measurable, plan, contextAt())).toEqual(none);
      expect(objectiveTargetDates(dated, plan, contextAt())).toEqual(none);
    }
  });
});

describe('interventions-documented: at least one intervention, each with its frequency (docs/clinical-rules.md rule 9)', () => {
  const rule = aRule('interventions-documented', {});
  const notDocumented = (interventionIds: string[]) => ({
    findings: [{ code: 'interventions_not_documented', rule: 'test.interventions-documented', severity: 'error', evidence: { interventionIds }, fix: { code: 'document_interventions' } }],
    boundaries: [],
  });

  test('none at all, or one without a frequency, is interventions_not_documented', () => {
    expect(interventionsDocumented(rule, inEffect({ interventions: [] }), contextAt())).toEqual(notDocumented([]));
    const interventions = [intervention, { ...intervention, interventionId: 'i-no-frequency', frequency: null }];
    expect(interventionsDocumented(rule, inEffect({ interventions }), contextAt())).toEqual(notDocumented(['i-no-frequency']));
  });

  test('holds when every intervention has its frequency, and before a revision is in effect', () => {
    expect(interventionsDocumented(rule, aCompliantPlan(), contextAt())).toEqual(none);
    expect(interventionsDocumented(rule, notInEffect, contextAt())).toEqual(none);
  });
});

describe('service-parameters-stated: type, amount, frequency and duration of service (LCD L33632)', () => {
  const rule = aRule('service-parameters-stated', {});
  const service = aRevisedPlan().service;

  test.each([
    ['session_type', { sessionType: null }],
    ['session_minutes', { sessionMinutes: null }],
    ['frequency', { frequency: null }],
    ['expected_duration', { expectedDurationWeeks: null }],
  ] as const)('without %s: service_parameters_missing, naming it', (parameter, missing) => {
    expect(serviceParametersStated(rule, inEffect({ service: { ...service, ...missing } }), contextAt())).toEqual({
      findings: [
        { code: 'service_parameters_missing', rule: 'test.service-parameters-stated', severity: 'error', evidence: { revision: 1, missingServiceParameters: [parameter] }, fix: { code: 'complete_service_parameters' } },
      ],
      boundaries: [],
    });
  });

  test('every missing parameter is named, in the order of SERVICE_PARAMETERS', () => {
    const plan = inEffect({ service: { sessionType: null, sessionMinutes: 50, frequency: null, expectedDurationWeeks: null } });
    expect(serviceParametersStated(rule, plan, contextAt()).findings[0].evidence).toEqual({ revision: 1, missingServiceParameters: ['session_type', 'frequency', 'expected_duration'] });
  });

  test('holds with all four, and before a revision is in effect', () => {
    expect(serviceParametersStated(rule, aCompliantPlan(), contextAt())).toEqual(none);
    expect(serviceParametersStated(rule, notInEffect, contextAt())).toEqual(none);
  });
});
