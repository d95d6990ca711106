import {
  cannedGoals,
  goalsNotLinkedToCoveredDiagnosis,
  goldenLoopAdvisories,
  normaliseGoalText,
  tooManyActiveGoals,
  unmeasurableObjectives,
  type GoldenLoopGoal,
  type GoldenLoopObjective,
  type GoldenLoopPlan,
} from './golden-loop';

const goal = (id: string, overrides: Partial<GoldenLoopGoal> = {}): GoldenLoopGoal => ({
  id,
  status: 'active',
  clientGoal: `Client words for ${id}`,
  clinicalGoal: `Clinical words for ${id}`,
  addresses: [{ kind: 'diagnosis', id: 'dx-depression' }],
  ...overrides,
});

const objective = (id: string, overrides: Partial<GoldenLoopObjective> = {}): GoldenLoopObjective => ({
  id,
  goalId: 'g-1',
  status: 'active',
  measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 16, target: 9 },
  targetDate: '2025-04-01',
  ...overrides,
});

const plan = (overrides: Partial<GoldenLoopPlan> = {}): GoldenLoopPlan => ({
  diagnoses: [
    { id: 'dx-depression', code: 'F32.1', primary: true },
    { id: 'dx-relational', code: 'Z63.0', primary: false },
  ],
  symptoms: [
    { id: 'sx-low-mood', diagnosisId: 'dx-depression' },
    { id: 'sx-conflict', diagnosisId: 'dx-relational' },
  ],
  impairments: [{ id: 'im-work', diagnosisId: 'dx-depression' }],
  goals: [goal('g-1')],
  objectives: [objective('o-1')],
  ...overrides,
});

describe('golden-loop advisories', () => {
  test('a plan that keeps the golden loop has no advisories', () => {
    expect(goldenLoopAdvisories(plan(), { otherPlansGoalTexts: ['Something else entirely'] })).toEqual([]);
  });

  describe('focus', () => {
    test('three active goals are fine', () => {
      expect(tooManyActiveGoals([goal('a'), goal('b'), goal('c')])).toEqual([]);
    });

    test('more than three active goals is a warning with its source', () => {
      expect(tooManyActiveGoals([goal('a'), goal('b'), goal('c'), goal('d')])).toEqual([
        {
          code: 'too_many_active_goals',
          severity: 'warning',
          source: expect.stringContaining('rule 8'),
          message: expect.stringContaining('4 active goals'),
        },
      ]);
    });

    test('met and discontinued goals do not count', () => {
      const goals = [goal('a'), goal('b'), goal('c'), goal('d', { status: 'met' }), goal('e', { status: 'discontinued' })];
      expect(tooManyActiveGoals(goals)).toEqual([]);
    });

    test('the limit is network policy', () => {
      expect(tooManyActiveGoals([goal('a'), goal('b')], { maxActiveGoals: 1 })).toHaveLength(1);
    });
  });

  describe('measurable, time-bound objectives', () => {
    test.each([
      ['no measure', { measure: undefined }, ['objective_without_measure']],
      ['a null measure', { measure: null }, ['objective_without_measure']],
      ['no target date', { targetDate: undefined }, ['objective_without_target_date']],
      ['an empty target date', { targetDate: '' }, ['objective_without_target_date']],
      ['neither', { measure: null, targetDate: null }, ['objective_without_measure', 'objective_without_target_date']],
    ])('an active objective with %s is a warning about it', (_name, overrides, codes) => {
      const advisories = unmeasurableObjectives([objective('o-9', overrides)]);
      expect(advisories.map((advisory) => advisory.code)).toEqual(codes);
      expect(advisories.every((advisory) => advisory.subjectId === 'o-9' && advisory.severity === 'warning')).toBe(true);
    });

    test('a met objective without a measure is not a warning', () => {
      expect(unmeasurableObjectives([objective('o-9', { status: 'met', measure: null })])).toEqual([]);
    });
  });

  describe('goals linked to the covered diagnosis', () => {
    test.each([
      ['the covered diagnosis', [{ kind: 'diagnosis', id: 'dx-depression' }]],
      ['a symptom of the covered diagnosis', [{ kind: 'symptom', id: 'sx-low-mood' }]],
      ['an impairment of the covered diagnosis', [{ kind: 'impairment', id: 'im-work' }]],
      ['the Z-code and the covered diagnosis', [{ kind: 'diagnosis', id: 'dx-relational' }, { kind: 'symptom', id: 'sx-low-mood' }]],
    ] as const)('a goal linked to %s keeps the loop', (_name, addresses) => {
      expect(goalsNotLinkedToCoveredDiagnosis(plan({ goals: [goal('g-1', { addresses })] }))).toEqual([]);
    });

    test.each([
      ['nothing', []],
      ['only a Z-code diagnosis', [{ kind: 'diagnosis', id: 'dx-relational' }]],
      ['only a symptom of a Z-code diagnosis', [{ kind: 'symptom', id: 'sx-conflict' }]],
      ['a symptom that is not in the plan', [{ kind: 'symptom', id: 'sx-unknown' }]],
    ] as const)('a goal linked to %s is a warning', (_name, addresses) => {
      expect(goalsNotLinkedToCoveredDiagnosis(plan({ goals: [goal('g-1', { addresses })] }))).toEqual([
        expect.objectContaining({ code: 'goal_not_linked_to_covered_diagnosis', subjectId: 'g-1', source: expect.stringContaining('golden loop') }),
      ]);
    });
  });

  describe('canned plans', () => {
    test('normalising ignores case, punctuation and spacing', () => {
      expect(normaliseGoalText('  Reduce   symptoms of DEPRESSION!  ')).toBe(normaliseGoalText('reduce symptoms of depression'));
    });

    test.each([
      ['the clinical goal', { clinicalGoal: 'Reduce symptoms of depression.' }],
      ['the client goal', { clientGoal: 'I want to feel better' }],
    ])('%s identical to another plan is a warning', (_name, overrides) => {
      const texts = ['reduce symptoms of depression', 'I want to feel better.'];
      expect(cannedGoals([goal('g-1', overrides)], texts)).toEqual([
        expect.objectContaining({ code: 'canned_goal_text', subjectId: 'g-1', severity: 'warning' }),
      ]);
    });

    test('a similar but individual text is not a warning', () => {
      expect(cannedGoals([goal('g-1', { clinicalGoal: 'Reduce symptoms of depression at work' })], ['Reduce symptoms of depression'])).toEqual([]);
    });

    test('empty texts elsewhere never match', () => {
      expect(cannedGoals([goal('g-1', { clientGoal: '!!!' })], ['...'])).toEqual([]);
    });
  });

  test('a Z-code as primary diagnosis is a warning', () => {
    const diagnoses = [{ id: 'dx-relational', code: 'Z63.0', primary: true }];
    expect(goldenLoopAdvisories(plan({ diagnoses, goals: [] })).map((advisory) => advisory.code)).toEqual([
      'primary_diagnosis_not_covered',
    ]);
  });
});

describe('golden-loop advisories: what the clinician is told, and about which goals', () => {
  test('a plan-level advisory names no subject; an objective-level one names the objective', () => {
    const [focus] = tooManyActiveGoals([goal('a'), goal('b'), goal('c'), goal('d')]);
    expect(focus).not.toHaveProperty('subjectId');
    expect(focus.message).toBe(
      'The plan has 4 active goals; more than 3 makes progress hard to follow. Consider focusing on one goal at a time.',
    );
    expect(unmeasurableObjectives([objective('o-9', { measure: null, targetDate: null })])).toEqual([
      expect.objectContaining({
        subjectId: 'o-9',
        message:
          'This objective has no measure; add an instrument (such as PHQ-9) or a behavioural measure with a baseline and a target.',
      }),
      expect.objectContaining({
        subjectId: 'o-9',
        message: 'This objective has no target date; add one so progress can be reviewed.',
      }),
    ]);
  });

  // Rule 5 (the golden loop) is about the care being given now: a met or discontinued goal is history.
  test.each(['met', 'discontinued'] as const)('a %s goal that is not linked to a covered diagnosis is not a warning', (status) => {
    expect(goalsNotLinkedToCoveredDiagnosis(plan({ goals: [goal('g-1', { status, addresses: [] })] }))).toEqual([]);
  });

  test('an active goal linked only to an impairment of a Z-code diagnosis is a warning that says what payers expect', () => {
    const impairments = [
      { id: 'im-work', diagnosisId: 'dx-depression' },
      { id: 'im-home', diagnosisId: 'dx-relational' },
    ];
    const goals = [goal('g-1', { addresses: [{ kind: 'impairment', id: 'im-home' }] })];
    expect(goalsNotLinkedToCoveredDiagnosis(plan({ impairments, goals }))).toEqual([
      expect.objectContaining({
        subjectId: 'g-1',
        message:
          'This goal is not linked to a covered diagnosis or to a symptom or impairment of one; payers expect every goal to address the diagnosis.',
      }),
    ]);
  });

  test('a goal linked to an impairment that is not in the plan is a warning', () => {
    const goals = [goal('g-1', { addresses: [{ kind: 'impairment', id: 'im-unknown' }] })];
    expect(goalsNotLinkedToCoveredDiagnosis(plan({ goals })).map((advisory) => advisory.subjectId)).toEqual(['g-1']);
  });

  // Plans are rebuilt from stored events: a link of a kind this version does not know cannot show the loop.
  test('a goal linked only through a link of an unknown kind is a warning', () => {
    const addresses = [{ kind: 'referral', id: 'dx-depression' }] as unknown as GoldenLoopGoal['addresses'];
    expect(goalsNotLinkedToCoveredDiagnosis(plan({ goals: [goal('g-1', { addresses })] })).map((advisory) => advisory.subjectId)).toEqual(['g-1']);
  });

  test('normalised goal text is lower case with single spaces between words', () => {
    expect(normaliseGoalText('  Reduce   symptoms, of DEPRESSION!  ')).toBe('reduce symptoms of depression');
  });

  test('canned wording is judged on active goals only, and the warning asks for the client\'s own words', () => {
    const texts = ['reduce symptoms of depression'];
    const goals = [
      goal('g-met', { status: 'met', clinicalGoal: 'Reduce symptoms of depression' }),
      goal('g-1', { clinicalGoal: 'Reduce symptoms of depression' }),
    ];
    expect(cannedGoals(goals, texts)).toEqual([
      expect.objectContaining({
        subjectId: 'g-1',
        message: "This goal's wording is identical to a goal in another client's plan; tailor it to this client's own words and needs.",
      }),
    ]);
  });

  test('an uncovered primary diagnosis is named in its warning', () => {
    const diagnoses = [{ id: 'dx-relational', code: 'Z63.0', primary: true }];
    expect(goldenLoopAdvisories(plan({ diagnoses, goals: [] }))).toEqual([
      expect.objectContaining({
        subjectId: 'dx-relational',
        message: 'The primary diagnosis Z63.0 is not a covered primary diagnosis; payers may not authorize care under it.',
      }),
    ]);
  });
});
