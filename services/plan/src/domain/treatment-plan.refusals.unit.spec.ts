import type { PlanCommandInput } from './command-inputs';
import {
  AlreadySigned,
  FirstRevisionCannotBeWithdrawn,
  GoalNotLinked,
  IdAlreadyUsed,
  LastActiveGoal,
  NoOpenRevision,
  NotActive,
  NotExactlyOnePrimaryDiagnosis,
  NotFoundInPlan,
  PlanAlreadyOpened,
  PlanIsClosed,
  PlanNotFound,
  PlanWouldHaveNoActiveGoal,
  PrimaryDiagnosisCannotBeRemoved,
  RevisionAlreadyOpen,
  RevisionHasNoActiveGoal,
  RevisionMismatch,
  SignerNotOnPlan,
  StillLinked,
  type PlanError,
} from './errors';
import type { PlanEvent } from './events';
import { given } from './testing/given';
import {
  addGoal,
  addIntervention,
  addObjective,
  aPlan,
  command,
  day,
  openPlan,
  phq9,
  proposeRevision,
  recordAssessment,
  sign,
  type PlanStory,
} from './testing/plan-builders';

// Every refusal of the plan, as a client sees it (docs/errors.md): the code it switches on, the kind that decides
// the HTTP status, the field at fault and the sentence a clinician reads. Each history is built inside its test.

type Refusal = {
  readonly code: string;
  readonly kind: 'invalid' | 'conflict' | 'not_found';
  readonly field?: string;
  readonly message: string;
  readonly [fact: string]: unknown;
};
type ErrorType = abstract new (...args: never[]) => PlanError;

const refused = (history: readonly PlanEvent[], next: PlanCommandInput, errorType: ErrorType, expected: Refusal): PlanError => {
  const error = given(history).when(next).thenThrows(errorType, expected);
  // A refusal without a field names none: it is the plan's state, not the request, that is at fault.
  if (expected.field === undefined) expect(error.field).toBeUndefined();
  return error;
};

describe('refusals of the plan’s life cycle', () => {
  test('a command on a plan never opened: plan_not_found, the same for every command', () => {
    refused([], addGoal(), PlanNotFound, {
      code: 'plan_not_found',
      kind: 'not_found',
      message: 'There is no treatment plan with this id; open one first.',
    });
  });

  test('opening a plan twice: plan_already_opened, naming the plan', () => {
    refused(aPlan().opened().events, openPlan(), PlanAlreadyOpened, {
      code: 'plan_already_opened',
      kind: 'conflict',
      planId: 'plan-1',
      message: 'This treatment plan is already open.',
    });
  });

  test('a change to a closed plan: plan_closed, with when it was closed', () => {
    const closed = aPlan().inEffect().run(command('ClosePlan', { reason: 'treatment_completed' }, day(30)));
    refused(closed.events, recordAssessment('a-1', 'PHQ-9', phq9(5), day(31)), PlanIsClosed, {
      code: 'plan_closed',
      kind: 'conflict',
      closedAt: day(30),
      message: 'This treatment plan was closed (the client was discharged); it can be read but no longer changed.',
    });
  });
});

describe('refusals of revisions', () => {
  test('a change without an open revision: no_open_revision', () => {
    refused(aPlan().inEffect().events, addGoal({ goalId: 'g-2' }), NoOpenRevision, {
      code: 'no_open_revision',
      kind: 'conflict',
      message: 'Goals, objectives, interventions and diagnoses change only within a revision; propose a revision first.',
    });
  });

  test('proposing while a revision is drafted: revision_already_open, naming the draft', () => {
    refused(aPlan().inEffect().revising().events, proposeRevision(), RevisionAlreadyOpen, {
      code: 'revision_already_open',
      kind: 'conflict',
      revision: 2,
      message: 'Revision 2 is still being drafted; finish and sign it, or withdraw it, before proposing another.',
    });
  });

  test('signing a revision other than the draft: revision_mismatch on revision, naming the draft', () => {
    refused(aPlan().inEffect().revising().events, sign('client', 3), RevisionMismatch, {
      code: 'revision_mismatch',
      kind: 'conflict',
      field: 'revision',
      requested: 3,
      open: 2,
      message: 'Revision 3 is not the revision being drafted; revision 2 is.',
    });
  });

  test('signing a revision when none is drafted: revision_mismatch saying none is', () => {
    refused(aPlan().inEffect().events, sign('client', 2), RevisionMismatch, {
      code: 'revision_mismatch',
      kind: 'conflict',
      field: 'revision',
      requested: 2,
      open: null,
      message: 'Revision 2 is not open; there is no revision being drafted.',
    });
  });

  test('withdrawing revision 1: first_revision_not_withdrawable on revision', () => {
    refused(aPlan().opened().withGoal().events, command('WithdrawRevision', { revision: 1 }), FirstRevisionCannotBeWithdrawn, {
      code: 'first_revision_not_withdrawable',
      kind: 'conflict',
      field: 'revision',
      message: 'The first revision is the plan itself and cannot be withdrawn; change it, or close the plan.',
    });
  });

  test('withdrawing the draft that holds the only active goal: no_active_goal_left', () => {
    // The goal in effect was met while the draft held the next one: only signing the draft gives an active goal back.
    const nextGoalDrafted = aPlan()
      .inEffect()
      .revising()
      .withGoal({ goalId: 'g-2' })
      .run(command('MarkGoalMet', { goalId: 'g-1' }, day(3)));
    refused(nextGoalDrafted.events, command('WithdrawRevision', { revision: 2 }), PlanWouldHaveNoActiveGoal, {
      code: 'no_active_goal_left',
      kind: 'conflict',
      revision: 2,
      message:
        'Withdrawing revision 2 would leave the plan in effect without an active goal, and every client keeps at least one; ' +
        'sign the revision, or add a goal to it first.',
    });
  });

  test('signing a revision without an active goal: revision_has_no_active_goal', () => {
    refused(aPlan().opened().events, sign('client'), RevisionHasNoActiveGoal, {
      code: 'revision_has_no_active_goal',
      kind: 'conflict',
      revision: 1,
      message: 'Revision 1 has no active goal; every client keeps at least one, so add one before signing.',
    });
  });

  test('signing twice in one role: already_signed on signerRole', () => {
    refused(aPlan().opened().withGoal().run(sign('clinician')).events, sign('clinician'), AlreadySigned, {
      code: 'already_signed',
      kind: 'conflict',
      field: 'signerRole',
      revision: 1,
      signerRole: 'clinician',
      message: 'The clinician has already signed revision 1.',
    });
  });

  test('signing as someone not on the plan: signer_not_on_plan on signerId', () => {
    const next = command<PlanCommandInput>('SignRevision', { revision: 1, signerRole: 'client', signerId: 'client-2', method: 'electronic' });
    refused(aPlan().opened().withGoal().events, next, SignerNotOnPlan, {
      code: 'signer_not_on_plan',
      kind: 'invalid',
      field: 'signerId',
      signerRole: 'client',
      signerId: 'client-2',
      message: "client-2 is not this plan's client; only the plan's own client and clinician sign it.",
    });
  });
});

describe('refusals of goals and what they address', () => {
  test('a goal that addresses nothing: goal_not_linked on addresses', () => {
    refused(aPlan().opened().events, addGoal({ addresses: [] }), GoalNotLinked, {
      code: 'goal_not_linked',
      kind: 'invalid',
      field: 'addresses',
      message: 'A goal must address a diagnosis, symptom or functional impairment in the plan (the golden loop).',
    });
  });

  test('marking the only active goal met: last_active_goal, with the way on', () => {
    refused(aPlan().inEffect().events, command('MarkGoalMet', { goalId: 'g-1' }), LastActiveGoal, {
      code: 'last_active_goal',
      kind: 'conflict',
      goalId: 'g-1',
      message:
        "Goal g-1 is the client's only active goal, and every client keeps at least one. " +
        'Propose a revision that adds the next goal first, or close the plan if treatment is complete.',
    });
  });

  test.each<[string, (story: PlanStory) => PlanStory, PlanCommandInput, 'goal' | 'objective' | 'intervention', string, string]>([
    ['a goal met', (story) => story.revising().withGoal({ goalId: 'g-2' }), command('DiscontinueGoal', { goalId: 'g-3' }), 'goal', 'g-3', 'met'],
    [
      'an objective discontinued',
      (story) => story.revising().run(command('DiscontinueObjective', { objectiveId: 'o-1' })),
      command('ReviseObjective', { objectiveId: 'o-1', description: 'Reworded' }),
      'objective',
      'o-1',
      'discontinued',
    ],
    [
      'an intervention discontinued',
      (story) => story.revising().run(command('DiscontinueIntervention', { interventionId: 'i-1' })),
      command('DiscontinueIntervention', { interventionId: 'i-1' }),
      'intervention',
      'i-1',
      'discontinued',
    ],
  ])('changing %s: <item>_not_active, saying what it is', (_name, setUp, next, itemKind, id, status) => {
    // g-3 is met in the plan in effect; the others are changed in the same draft that ended them.
    const story = setUp(
      aPlan()
        .opened()
        .withGoal()
        .withGoal({ goalId: 'g-3' })
        .withObjective()
        .withIntervention()
        .signedByBoth()
        .run(command('MarkGoalMet', { goalId: 'g-3' })),
    );
    refused(story.events, next, NotActive, {
      code: `${itemKind}_not_active`,
      kind: 'conflict',
      itemKind,
      id,
      status,
      message: `The ${itemKind} ${id} is ${status}, not active.`,
    });
  });
});

describe('refusals of ids: id_already_used and <item>_not_found name the item as a clinician does', () => {
  test.each<[string, (story: PlanStory) => PlanStory, PlanCommandInput, string, string, string]>([
    ['a diagnosis', (story) => story, command('AddDiagnosis', { code: 'f41.1' }), 'code', 'diagnosis', 'F41.1'],
    [
      'a symptom',
      (story) => story,
      command('AddSymptom', { symptomId: 'sx-worry', diagnosisCode: 'F41.1', description: 'Worry' }),
      'symptomId',
      'symptom',
      'sx-worry',
    ],
    [
      'a functional impairment',
      (story) => story,
      command('AddImpairment', { impairmentId: 'im-home', diagnosisCode: 'F32.1', description: 'Stays in' }),
      'impairmentId',
      'functional impairment',
      'im-home',
    ],
    ['a goal', (story) => story, addGoal(), 'goalId', 'goal', 'g-1'],
    ['an objective', (story) => story.withObjective(), addObjective(), 'objectiveId', 'objective', 'o-1'],
    ['an intervention', (story) => story.withObjective().withIntervention(), addIntervention(), 'interventionId', 'intervention', 'i-1'],
    ['an assessment', (story) => story.assessed('a-1', 'PHQ-9', phq9(12)), recordAssessment('a-1', 'PHQ-9', phq9(10)), 'assessmentId', 'assessment', 'a-1'],
    [
      'a life event',
      (story) =>
        story.run(command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'bereavement', impact: 'major', occurredOn: null, description: 'Her father died' })),
      command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'bereavement', impact: 'major', occurredOn: null, description: 'Again' }),
      'lifeEventId',
      'life event',
      'le-1',
    ],
  ])('%s whose id the plan already has', (_name, setUp, next, field, itemName, id) => {
    refused(setUp(aPlan().opened().withGoal()).events, next, IdAlreadyUsed, {
      code: 'id_already_used',
      kind: 'conflict',
      field,
      id,
      message: `This plan already has a ${itemName} ${id}.`,
    });
  });

  test.each<[string, PlanCommandInput, string, string, string, string]>([
    ['a diagnosis', command('SetPrimaryDiagnosis', { code: 'F43.10' }), 'code', 'diagnosis', 'diagnosis', 'F43.10'],
    ['a symptom', command('RemoveSymptom', { symptomId: 'sx-9' }), 'symptomId', 'symptom', 'symptom', 'sx-9'],
    ['a functional impairment', command('RemoveImpairment', { impairmentId: 'im-9' }), 'impairmentId', 'impairment', 'functional impairment', 'im-9'],
    ['a goal', command('ReviseGoal', { goalId: 'g-9', clinicalGoal: 'Reworded' }), 'goalId', 'goal', 'goal', 'g-9'],
    ['an objective', command('DiscontinueObjective', { objectiveId: 'o-9' }), 'objectiveId', 'objective', 'objective', 'o-9'],
    ['an intervention', command('DiscontinueIntervention', { interventionId: 'i-9' }), 'interventionId', 'intervention', 'intervention', 'i-9'],
    [
      'an event to answer',
      proposeRevision({ triggers: [{ type: 'GoalMet', id: 'g-9' }] }),
      'triggers[0]',
      'trigger',
      'event to answer',
      'GoalMet g-9',
    ],
  ])('%s the plan does not have', (_name, next, field, itemKind, itemName, id) => {
    const story = next.type === 'ProposeRevision' ? aPlan().inEffect() : aPlan().opened().withGoal();
    refused(story.events, next, NotFoundInPlan, {
      code: `${itemKind}_not_found`,
      kind: 'not_found',
      field,
      itemKind,
      id,
      message: `This plan has no ${itemName} ${id}.`,
    });
  });
});

describe('refusals of removals', () => {
  test('removing a symptom a goal addresses: still_linked, naming the goal', () => {
    refused(aPlan().opened().withGoal().events, command('RemoveSymptom', { symptomId: 'sx-low-mood' }), StillLinked, {
      code: 'still_linked',
      kind: 'conflict',
      itemKind: 'symptom',
      id: 'sx-low-mood',
      linkedFrom: ['goal g-1'],
      message: 'The symptom sx-low-mood is still addressed by goal g-1; relink or remove those first.',
    });
  });

  test('removing a diagnosis with symptoms, impairments and goals: still_linked, naming each', () => {
    const linked = aPlan()
      .opened()
      .withGoal()
      .run(
        command('AddImpairment', { impairmentId: 'im-sleep', diagnosisCode: 'F41.1', description: 'Sleeps four hours' }),
        addGoal({ goalId: 'g-2', addresses: [{ kind: 'diagnosis', id: 'F41.1' }] }),
      );
    refused(linked.events, command('RemoveDiagnosis', { code: 'F41.1' }), StillLinked, {
      code: 'still_linked',
      kind: 'conflict',
      itemKind: 'diagnosis',
      id: 'F41.1',
      linkedFrom: ['symptom sx-worry', 'impairment im-sleep', 'goal g-2'],
      message: 'The diagnosis F41.1 is still addressed by symptom sx-worry, impairment im-sleep, goal g-2; relink or remove those first.',
    });
  });

  test('removing the primary diagnosis: primary_diagnosis_not_removable on code', () => {
    refused(aPlan().opened().events, command('RemoveDiagnosis', { code: 'f32.1' }), PrimaryDiagnosisCannotBeRemoved, {
      code: 'primary_diagnosis_not_removable',
      kind: 'conflict',
      field: 'code',
      diagnosisCode: 'F32.1',
      message: 'F32.1 is the primary diagnosis; make another diagnosis primary before removing it.',
    });
  });
});

describe('refusals of the diagnoses a plan opens with', () => {
  test.each<[string, readonly { code: string; rank: 'primary' | 'secondary' }[], number, string]>([
    ['none primary', [{ code: 'F32.1', rank: 'secondary' }], 0, 'A plan has exactly one primary diagnosis; none was given.'],
    [
      'two primary',
      [
        { code: 'F32.1', rank: 'primary' },
        { code: 'F41.1', rank: 'primary' },
      ],
      2,
      'A plan has exactly one primary diagnosis; 2 were given.',
    ],
  ])('%s: exactly_one_primary_diagnosis on diagnoses, saying how many were', (_name, diagnoses, primaryCount, message) => {
    refused([], openPlan({ diagnoses, symptoms: [], impairments: [] }), NotExactlyOnePrimaryDiagnosis, {
      code: 'exactly_one_primary_diagnosis',
      kind: 'invalid',
      field: 'diagnoses',
      primaryCount,
      message,
    });
  });
});
