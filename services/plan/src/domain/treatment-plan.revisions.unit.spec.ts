import type { PlanCommandInput } from './command-inputs';
import {
  AlreadySigned,
  FieldInvalid,
  FirstRevisionCannotBeWithdrawn,
  NoOpenRevision,
  NotFoundInPlan,
  PlanWouldHaveNoActiveGoal,
  RevisionAlreadyOpen,
  RevisionHasNoActiveGoal,
  RevisionMismatch,
  SignerNotOnPlan,
} from './errors';
import type { PlanEvent, PlanRevised } from './events';
import { noChanges } from './plan-content';
import { given, stateAfter } from './testing/given';
import {
  addGoal,
  addIntervention,
  addObjective,
  aPlan,
  CLIENT_ID,
  CLINICIAN_ID,
  command,
  day,
  openPlanData,
  phq9,
  PLAN_ID,
  proposeRevision,
  recordAssessment,
  sign,
} from './testing/plan-builders';
import type { OpenedPlan } from './plan-state';

const opened = (events: readonly PlanEvent[]) => stateAfter(events) as OpenedPlan;

describe('revisions and signatures', () => {
  describe('revision 1, the plan as first agreed', () => {
    const drafted = aPlan().opened().withGoal().withObjective().withIntervention();

    test('the client signing alone records the signature; the plan is not yet in effect', () => {
      given(drafted.events)
        .when(sign('client', 1, day(1), 'wet_ink_scanned'))
        .then([
          {
            type: 'PlanSigned',
            data: {
              planId: PLAN_ID,
              revision: 1,
              signerRole: 'client',
              signerId: CLIENT_ID,
              method: 'wet_ink_scanned',
              signedAt: day(1),
              by: CLINICIAN_ID,
            },
          },
        ]);
      expect(opened(drafted.run(sign('client', 1)).events).inEffect).toBeNull();
    });

    test('the second signature puts the revision in effect with its reason, changes, content and both attestations', () => {
      const clientSigned = drafted.run(sign('client', 1, day(1), 'wet_ink_scanned'));
      const draft = opened(clientSigned.events).draft!;
      given(clientSigned.events)
        .when(sign('clinician', 1, day(2)))
        .then([
          {
            type: 'PlanSigned',
            data: {
              planId: PLAN_ID,
              revision: 1,
              signerRole: 'clinician',
              signerId: CLINICIAN_ID,
              method: 'electronic',
              signedAt: day(2),
              by: CLINICIAN_ID,
            },
          },
          {
            type: 'PlanRevised',
            data: {
              planId: PLAN_ID,
              revision: 1,
              reason: 'initial_plan',
              note: null,
              triggersAnswered: [],
              changes: {
                goals: { added: ['g-1'], changed: [], removed: [] },
                objectives: { added: ['o-1'], changed: [], removed: [] },
                interventions: { added: ['i-1'], changed: [], removed: [] },
                diagnoses: { added: ['F32.1', 'F41.1'], changed: [], removed: [] },
                symptoms: { added: ['sx-low-mood', 'sx-worry'], changed: [], removed: [] },
                impairments: { added: ['im-home'], changed: [], removed: [] },
                service: true,
              },
              plan: draft.content,
              attestations: [
                { signerRole: 'client', signerId: CLIENT_ID, signedAt: day(1), method: 'wet_ink_scanned' },
                { signerRole: 'clinician', signerId: CLINICIAN_ID, signedAt: day(2), method: 'electronic' },
              ],
              revisedAt: day(2),
            },
          },
        ]);
    });

    test('once both have signed, the plan is in effect and keeps both attestations with their time and method', () => {
      const plan = opened(drafted.run(sign('clinician', 1, day(1)), sign('client', 1, day(2), 'verbal_attested')).events);
      expect(plan.revisionInEffect).toBe(1);
      expect(plan.draft).toBeNull();
      expect(plan.inEffect!.goals.map((goal) => goal.goalId)).toEqual(['g-1']);
      expect(plan.revisions).toEqual([
        expect.objectContaining({
          revision: 1,
          effectiveAt: day(2),
          attestations: [
            { signerRole: 'clinician', signerId: CLINICIAN_ID, signedAt: day(1), method: 'electronic' },
            { signerRole: 'client', signerId: CLIENT_ID, signedAt: day(2), method: 'verbal_attested' },
          ],
        }),
      ]);
    });

    test('the content of PlanRevised is what the plan in effect becomes', () => {
      const events = drafted.signedByBoth().events;
      const revised = events.find((event): event is PlanRevised => event.type === 'PlanRevised')!;
      expect(opened(events).inEffect).toEqual(revised.data.plan);
    });

    test('revision 1 cannot be signed without an active goal', () => {
      given(aPlan().opened().events)
        .when(sign('client'))
        .thenThrows(RevisionHasNoActiveGoal, { code: 'revision_has_no_active_goal', revision: 1 });
    });

    test('revision 1 cannot be withdrawn: it is the plan itself', () => {
      given(drafted.events).when(command('WithdrawRevision', { revision: 1 })).thenThrows(FirstRevisionCannotBeWithdrawn);
    });

    test('no other revision can be proposed while revision 1 is drafted', () => {
      given(drafted.events).when(proposeRevision()).thenThrows(RevisionAlreadyOpen, { revision: 1 });
    });
  });

  describe('forbidden signatures', () => {
    const drafted = aPlan().opened().withGoal();
    const inEffect = aPlan().inEffect();
    test.each<[string, readonly PlanEvent[], PlanCommandInput, abstract new (...args: never[]) => Error, Record<string, unknown>]>([
      ['a revision that is not the open one', drafted.events, sign('client', 2), RevisionMismatch, { requested: 2, open: 1 }],
      ['when no revision is open', inEffect.events, sign('client', 2), RevisionMismatch, { requested: 2, open: null }],
      [
        "someone else as the client",
        drafted.events,
        command('SignRevision', { revision: 1, signerRole: 'client', signerId: 'client-2', method: 'electronic' }),
        SignerNotOnPlan,
        { field: 'signerId' },
      ],
      [
        'another clinician as the clinician',
        drafted.events,
        command('SignRevision', { revision: 1, signerRole: 'clinician', signerId: 'clinician-2', method: 'electronic' }),
        SignerNotOnPlan,
        { code: 'signer_not_on_plan' },
      ],
      [
        'the client id as the clinician',
        drafted.events,
        command('SignRevision', { revision: 1, signerRole: 'clinician', signerId: CLIENT_ID, method: 'electronic' }),
        SignerNotOnPlan,
        {},
      ],
      [
        'an unknown signer role',
        drafted.events,
        command('SignRevision', { revision: 1, signerRole: 'guardian' as never, signerId: CLIENT_ID, method: 'electronic' }),
        FieldInvalid,
        { field: 'signerRole' },
      ],
      [
        'an unknown signature method',
        drafted.events,
        command('SignRevision', { revision: 1, signerRole: 'client', signerId: CLIENT_ID, method: 'smoke_signal' as never }),
        FieldInvalid,
        { field: 'method' },
      ],
      ['the same role twice', drafted.run(sign('client')).events, sign('client'), AlreadySigned, { signerRole: 'client', field: 'signerRole' }],
    ])('signing %s is refused', (_name, history, next, errorType, expected) => {
      given(history).when(next).thenThrows(errorType, expected);
    });
  });

  describe('changes happen only inside an open revision', () => {
    const inEffect = aPlan().inEffect();
    test.each<PlanCommandInput>([
      command('AddDiagnosis', { code: 'F43.10' }),
      command('RemoveDiagnosis', { code: 'F41.1' }),
      command('SetPrimaryDiagnosis', { code: 'F41.1' }),
      command('AddSymptom', { symptomId: 'sx-9', diagnosisCode: 'F32.1', description: 'Early waking' }),
      command('RemoveSymptom', { symptomId: 'sx-worry' }),
      command('AddImpairment', { impairmentId: 'im-9', diagnosisCode: 'F32.1', description: 'Stopped cooking' }),
      command('RemoveImpairment', { impairmentId: 'im-home' }),
      command('ChangeService', { service: { ...openPlanData.service, sessionMinutes: 45 } }),
      addGoal({ goalId: 'g-2' }),
      command('ReviseGoal', { goalId: 'g-1', clinicalGoal: 'Reworded' }),
      command('DiscontinueGoal', { goalId: 'g-1' }),
      addObjective({ objectiveId: 'o-2' }),
      command('ReviseObjective', { objectiveId: 'o-1', targetDate: '2025-07-01' }),
      command('DiscontinueObjective', { objectiveId: 'o-1' }),
      addIntervention({ interventionId: 'i-2' }),
      command('DiscontinueIntervention', { interventionId: 'i-1' }),
    ])('$type on a plan in effect without an open revision is refused', (next) => {
      given(inEffect.events).when(next).thenThrows(NoOpenRevision, { code: 'no_open_revision', kind: 'conflict' });
    });
  });

  describe('proposing a revision', () => {
    const withChange = aPlan()
      .inEffect(day(0))
      .assessed('a-1', 'PHQ-9', phq9(8), day(7))
      .assessed('a-2', 'PHQ-9', phq9(16), day(14));

    test('a revision answering a symptom change is revision 2 and names its trigger', () => {
      given(withChange.events)
        .when(proposeRevision({ reason: 'symptom_change', note: 'Mood worse since the court date', triggers: [{ type: 'SymptomsChanged', id: 'a-2' }] }, day(15)))
        .then([
          {
            type: 'RevisionProposed',
            data: {
              planId: PLAN_ID,
              revision: 2,
              reason: 'symptom_change',
              note: 'Mood worse since the court date',
              triggers: [{ type: 'SymptomsChanged', id: 'a-2' }],
              proposedAt: day(15),
              by: CLINICIAN_ID,
            },
          },
        ]);
    });

    test.each<[string, Parameters<typeof proposeRevision>[0], abstract new (...args: never[]) => Error, Record<string, unknown>]>([
      ['a trigger that never happened', { triggers: [{ type: 'SymptomsChanged', id: 'a-1' }] }, NotFoundInPlan, { code: 'trigger_not_found', field: 'triggers[0]' }],
      ['a trigger of the wrong type', { triggers: [{ type: 'GoalMet', id: 'a-2' }] }, NotFoundInPlan, { code: 'trigger_not_found' }],
      ['an unknown trigger type', { triggers: [{ type: 'Whim' as never, id: 'a-2' }] }, FieldInvalid, { field: 'triggers[0].type' }],
      [
        'the same trigger twice',
        { triggers: [{ type: 'SymptomsChanged', id: 'a-2' }, { type: 'SymptomsChanged', id: 'a-2' }] },
        FieldInvalid,
        { field: 'triggers[1]' },
      ],
      ['the reason of the first revision', { reason: 'initial_plan' }, FieldInvalid, { field: 'reason' }],
      ['an unknown reason', { reason: 'boredom' as never }, FieldInvalid, { field: 'reason' }],
    ])('proposing with %s is refused', (_name, data, errorType, expected) => {
      given(withChange.events).when(proposeRevision(data)).thenThrows(errorType, expected);
    });

    test('a second revision cannot be proposed while one is open', () => {
      given(withChange.revising().events).when(proposeRevision()).thenThrows(RevisionAlreadyOpen, { revision: 2 });
    });

    test('the draft starts as the plan in effect, and the plan in effect does not change until both sign', () => {
      const drafting = withChange.revising().withGoal({ goalId: 'g-2' });
      const plan = opened(drafting.events);
      expect(plan.inEffect!.goals.map((goal) => goal.goalId)).toEqual(['g-1']);
      expect(plan.draft!.content.goals.map((goal) => goal.goalId)).toEqual(['g-1', 'g-2']);
    });
  });

  describe('revision 2 taking effect', () => {
    const drafting = aPlan()
      .inEffect(day(0))
      .assessed('a-1', 'PHQ-9', phq9(8), day(7))
      .assessed('a-2', 'PHQ-9', phq9(16), day(14))
      .revising({ reason: 'symptom_change', triggers: [{ type: 'SymptomsChanged', id: 'a-2' }] }, day(15))
      .withGoal({ goalId: 'g-2', clientGoal: 'Sleep through the night', clinicalGoal: 'Improve sleep hygiene' }, day(15))
      .run(command('ReviseObjective', { objectiveId: 'o-1', targetDate: '2025-07-01' }, day(15)));

    test('PlanRevised summarises what changed and answers its triggers', () => {
      const [, revised] = given(drafting.run(sign('client', 2, day(15))).events)
        .when(sign('clinician', 2, day(15)))
        .thenTypes(['PlanSigned', 'PlanRevised']);
      expect(revised.data).toMatchObject({
        revision: 2,
        reason: 'symptom_change',
        triggersAnswered: [{ type: 'SymptomsChanged', id: 'a-2' }],
        changes: {
          ...noChanges,
          goals: { added: ['g-2'], changed: [], removed: [] },
          objectives: { added: [], changed: ['o-1'], removed: [] },
        },
      });
    });

    test('the answered trigger is marked with the revision that answered it', () => {
      const plan = opened(drafting.signedByBoth(2, day(15)).events);
      expect(plan.revisionInEffect).toBe(2);
      expect(plan.triggers).toEqual([{ type: 'SymptomsChanged', id: 'a-2', occurredAt: day(14), answeredInRevision: 2 }]);
      expect(plan.revisions.map((revision) => revision.revision)).toEqual([1, 2]);
      expect(plan.inEffect!.objectives[0].targetDate).toBe('2025-07-01');
    });

    test('a revision with no change still takes effect: the review is documented and its trigger answered', () => {
      const reviewed = aPlan()
        .inEffect()
        .run(command('ReportLifeEvent', { lifeEventId: 'le-1', category: 'bereavement', impact: 'major', occurredOn: '2025-03-01', description: 'Her father died' }, day(3)))
        .revising({ reason: 'life_event', triggers: [{ type: 'LifeEventReported', id: 'le-1' }] }, day(4))
        .run(sign('client', 2, day(4)));
      const [, revised] = given(reviewed.events).when(sign('clinician', 2, day(4))).thenTypes(['PlanSigned', 'PlanRevised']);
      expect(revised.data).toMatchObject({ changes: noChanges, triggersAnswered: [{ type: 'LifeEventReported', id: 'le-1' }] });
    });
  });

  describe('a change after someone signed', () => {
    const clientSigned = aPlan().inEffect().revising().withGoal({ goalId: 'g-2' }).run(sign('client', 2, day(1)));

    test('voids the signatures, so the signer attests the changed content again', () => {
      given(clientSigned.events)
        .when(addObjective({ objectiveId: 'o-2', goalId: 'g-2' }, day(2)))
        .thenTypes(['RevisionSignaturesVoided', 'ObjectiveAdded'])
        .forEach((event) => {
          if (event.type === 'RevisionSignaturesVoided') {
            expect(event.data).toEqual({
              planId: PLAN_ID,
              revision: 2,
              voided: [{ signerRole: 'client', signerId: CLIENT_ID, signedAt: day(1), method: 'electronic' }],
              voidedAt: day(2),
              by: CLINICIAN_ID,
            });
          }
        });
    });

    test('after voiding, the clinician signing alone does not put the revision in effect', () => {
      const changed = clientSigned.run(addObjective({ objectiveId: 'o-2', goalId: 'g-2' }, day(2)));
      given(changed.events).when(sign('clinician', 2, day(3))).thenTypes(['PlanSigned']);
    });

    test('a change that changes nothing voids nothing', () => {
      const primaryAgain = command('SetPrimaryDiagnosis', { code: 'F32.1' });
      given(clientSigned.events).when(primaryAgain).thenNothingHappens();
    });
  });

  describe('withdrawing a revision', () => {
    const drafting = aPlan().inEffect().revising().withGoal({ goalId: 'g-2' });

    test('withdraws the draft and leaves the plan in effect as it was', () => {
      given(drafting.events)
        .when(command('WithdrawRevision', { revision: 2, note: 'Client wants to think about it' }, day(1)))
        .then([
          {
            type: 'RevisionWithdrawn',
            data: { planId: PLAN_ID, revision: 2, note: 'Client wants to think about it', withdrawnAt: day(1), by: CLINICIAN_ID },
          },
        ]);
      const plan = opened(drafting.run(command('WithdrawRevision', { revision: 2 })).events);
      expect(plan.draft).toBeNull();
      expect(plan.inEffect!.goals.map((goal) => goal.goalId)).toEqual(['g-1']);
    });

    test('a withdrawn revision number is used again by the next proposal', () => {
      const withdrawn = drafting.run(command('WithdrawRevision', { revision: 2 }));
      const [proposed] = given(withdrawn.events).when(proposeRevision()).thenTypes(['RevisionProposed']);
      expect(proposed.data).toMatchObject({ revision: 2 });
    });

    test.each<[string, readonly PlanEvent[], number, abstract new (...args: never[]) => Error]>([
      ['another revision number', drafting.events, 3, RevisionMismatch],
      ['no open revision', aPlan().inEffect().events, 2, RevisionMismatch],
      [
        'the only way back to an active goal (the last goal was met while the draft adds the next one)',
        drafting.run(command('MarkGoalMet', { goalId: 'g-1' })).events,
        2,
        PlanWouldHaveNoActiveGoal,
      ],
    ])('withdrawing with %s is refused', (_name, history, revision, errorType) => {
      given(history).when(command('WithdrawRevision', { revision })).thenThrows(errorType);
    });
  });

  describe('at least one active goal', () => {
    const inEffect = aPlan().inEffect();

    test('a revision that discontinues the only goal cannot be signed', () => {
      const discontinued = inEffect.revising().run(command('DiscontinueGoal', { goalId: 'g-1' }));
      given(discontinued.events).when(sign('client', 2)).thenThrows(RevisionHasNoActiveGoal, { revision: 2 });
    });

    test('a revision that discontinues the only goal and adds another can be signed', () => {
      const replaced = inEffect.revising().run(command('DiscontinueGoal', { goalId: 'g-1' })).withGoal({ goalId: 'g-2' });
      given(replaced.run(sign('client', 2)).events).when(sign('clinician', 2)).thenTypes(['PlanSigned', 'PlanRevised']);
    });
  });

  test('recording an assessment while revision 1 is drafted is allowed', () => {
    given(aPlan().opened().events).when(recordAssessment('a-1', 'GAD-7', [1, 1, 1, 1, 1, 1, 1])).thenTypes(['AssessmentRecorded']);
  });
});
