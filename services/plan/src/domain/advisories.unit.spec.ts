import { advisoriesFor } from './advisories';
import { stateAfter } from './testing/given';
import { aPlan, command } from './testing/plan-builders';

const codes = (story: ReturnType<typeof aPlan>, otherPlansGoalTexts: readonly string[] = []) =>
  advisoriesFor(stateAfter(story.events), { otherPlansGoalTexts }).map((advisory) => [advisory.code, advisory.subjectId]);

describe('advisories for a plan', () => {
  test('a focused, measurable, tailored plan tied to its covered diagnosis has none', () => {
    expect(codes(aPlan().inEffect(), ['Feel better'])).toEqual([]);
  });

  test('a plan not yet opened has none', () => {
    expect(advisoriesFor(stateAfter([]))).toEqual([]);
  });

  test('more than three active goals is a warning, never a refusal', () => {
    const story = aPlan()
      .opened()
      .withGoal({ goalId: 'g-1' })
      .withGoal({ goalId: 'g-2', clientGoal: 'Two', clinicalGoal: 'Two' })
      .withGoal({ goalId: 'g-3', clientGoal: 'Three', clinicalGoal: 'Three' })
      .withGoal({ goalId: 'g-4', clientGoal: 'Four', clinicalGoal: 'Four' });
    const [advisory] = advisoriesFor(stateAfter(story.events));
    expect(advisory).toEqual({
      code: 'too_many_active_goals',
      severity: 'warning',
      source: expect.stringContaining('docs/clinical-rules.md, rule 8'),
      message: expect.stringContaining('4 active goals'),
    });
  });

  test('the active-goal limit is the network policy', () => {
    const story = aPlan().opened().withGoal().withGoal({ goalId: 'g-2', clientGoal: 'Two', clinicalGoal: 'Two' });
    expect(advisoriesFor(stateAfter(story.events), { policy: { maxActiveGoals: 1 } }).map((advisory) => advisory.code)).toEqual([
      'too_many_active_goals',
    ]);
  });

  test('an objective without a measure or a target date is a warning for each', () => {
    const story = aPlan().opened().withGoal().withObjective({ measure: null, targetDate: null });
    expect(codes(story)).toEqual([
      ['objective_without_measure', 'o-1'],
      ['objective_without_target_date', 'o-1'],
    ]);
  });

  test('a goal that addresses only a non-covered diagnosis is a warning', () => {
    const story = aPlan()
      .opened({
        diagnoses: [
          { code: 'F32.1', rank: 'primary' },
          { code: 'Z63.0', rank: 'secondary' },
        ],
        symptoms: [{ symptomId: 'sx-conflict', diagnosisCode: 'Z63.0', description: 'Arguments every evening' }],
        impairments: [],
      })
      .withGoal({ addresses: [{ kind: 'symptom', id: 'sx-conflict' }] });
    expect(codes(story)).toEqual([['goal_not_linked_to_covered_diagnosis', 'g-1']]);
  });

  test("a goal worded exactly like a goal in the clinician's other plans is a canned-plan warning", () => {
    const story = aPlan().inEffect();
    expect(codes(story, ['  REDUCE depressive symptoms and restore social functioning through behavioural activation. '])).toEqual([
      ['canned_goal_text', 'g-1'],
    ]);
  });

  test('a Z-code made primary is a warning', () => {
    const story = aPlan()
      .opened({
        diagnoses: [
          { code: 'Z63.0', rank: 'primary' },
          { code: 'F32.1', rank: 'secondary' },
        ],
        symptoms: [{ symptomId: 'sx-low-mood', diagnosisCode: 'F32.1', description: 'Low mood' }],
      })
      .withGoal();
    expect(codes(story)).toEqual([['primary_diagnosis_not_covered', 'Z63.0']]);
  });

  test('advisories look at the open draft revision, which is what the clinician is about to sign', () => {
    const story = aPlan().inEffect().revising().withObjective({ objectiveId: 'o-2', measure: null });
    expect(codes(story)).toEqual([['objective_without_measure', 'o-2']]);
  });

  test('a goal traced to a covered diagnosis through a symptom alone, or an impairment alone, is no warning', () => {
    const story = aPlan()
      .opened()
      .withGoal({ addresses: [{ kind: 'symptom', id: 'sx-low-mood' }] })
      .withGoal({ goalId: 'g-2', clientGoal: 'Leave the house', clinicalGoal: 'Restore routine', addresses: [{ kind: 'impairment', id: 'im-home' }] })
      .withObjective()
      .withObjective({ objectiveId: 'o-2', goalId: 'g-2' });
    expect(codes(story)).toEqual([]);
  });

  test('a plan closed after it took effect has none, whatever its content', () => {
    const inEffect = aPlan().opened().withGoal().withObjective({ measure: null }).signedByBoth();
    expect(codes(inEffect)).toEqual([['objective_without_measure', 'o-1']]);
    expect(codes(inEffect.run(command('ClosePlan', { reason: 'treatment_completed' })))).toEqual([]);
  });

  test('a closed plan has none', () => {
    const story = aPlan().opened().withGoal().withObjective({ measure: null }).run(command('ClosePlan', { reason: 'administrative' }));
    expect(codes(story)).toEqual([]);
  });
});
