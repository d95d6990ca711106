import { join } from 'node:path';
import { SAMPLE_IDS } from '@golden-loop/contracts/src/testing/sample-events';
import { loadRuleSets } from '../rule-sets/rule-set-loader';
import type { ReadinessEvent } from './events';
import { evolve } from './evolve';
import { clinicalChangesOf, factsOf } from './note-event.decide';
import { readinessDecider } from './readiness';
import { initialState, type PlanReadiness } from './state';
import { aRevisedPlan, IDS, noteEvent, publicEvent } from './testing/readiness-builders';

// What billing takes from the public plan and review topics (docs/payer-rules.md, "What a check is"): ids, codes and
// dates only; an event that repeats what the stream holds decides nothing, and so does one of no interest.

const commercial = loadRuleSets(join(__dirname, '..', '..', 'rule-sets')).ruleSets.get('commercial-default')!;
type Key = Parameters<typeof publicEvent>[0];
const T = '2026-03-02T09:30:00.000Z';

/** The plan's readiness after each public event, decided and applied in turn. */
const after = (...inputs: [Key, object?, string?][]): PlanReadiness =>
  inputs.reduce<ReadinessEvent[]>((events, [key, overrides, eventId]) => {
    const state = events.reduce(evolve, initialState());
    return [...events, ...readinessDecider.decide(noteEvent(publicEvent(key, overrides ?? {}), commercial, undefined, eventId ?? `${key}-${events.length}`), state)];
  }, []).reduce(evolve, initialState());
const opened: [Key, object?, string?] = ['PlanOpened.v1', { clinicianId: IDS.clinician, payerId: IDS.payer }, 'e-opened'];
const signed = (revision: number, signerRole: 'client' | 'clinician', signerId: string): [Key, object?, string?] => ['PlanSigned.v1', { revision, signerRole, signerId, signedAt: T }];
const revised = (revision: number, triggersAnswered: string[] = []): [Key, object?, string?] => ['PlanRevised.v1', { revision, triggersAnswered, revisedPlan: aRevisedPlan(), revisedAt: T }, `e-revised-${revision}`];
const inEffect = (revision: number, triggersAnswered: string[] = []) => [signed(revision, 'client', IDS.client), signed(revision, 'clinician', IDS.clinician), revised(revision, triggersAnswered)];

describe('the facts taken from each public event', () => {
  const facts = (key: Key, overrides: object = {}, state: PlanReadiness = initialState()) => factsOf(state, 'e-1', publicEvent(key, overrides));

  test('PlanOpened: client, clinician, payer, diagnoses and the revision', () => {
    expect(facts('PlanOpened.v1')).toEqual([
      { type: 'PlanOpenedNoted', data: { planId: IDS.plan, sourceEventId: 'e-1', clientId: SAMPLE_IDS.client, clinicianId: SAMPLE_IDS.clinician, payerId: SAMPLE_IDS.payer, revision: 1, diagnoses: [{ code: 'F33.1', rank: 'primary' }], openedAt: T } },
    ]);
  });

  test('PlanSigned, PlanRevised, AssessmentRecorded, PlanClosed', () => {
    expect(facts('PlanSigned.v1')).toEqual([{ type: 'PlanSignatureNoted', data: { sourceEventId: 'e-1', revision: 2, signerRole: 'client', signerId: SAMPLE_IDS.client, signedAt: T } }]);
    const [revision] = facts('PlanRevised.v1');
    expect(revision).toMatchObject({ type: 'PlanRevisionNoted', data: { sourceEventId: 'e-1', revision: 2, reason: 'symptom_change', triggersAnswered: [SAMPLE_IDS.triggerEvent], revisedAt: T } });
    expect(facts('AssessmentRecorded.v1')).toEqual([
      { type: 'AssessmentNoted', data: { sourceEventId: 'e-1', assessmentId: SAMPLE_IDS.assessment, instrument: 'PHQ-9', score: 16, band: 'moderately_severe', safetyFlag: false, assessedAt: T } },
    ]);
    expect(facts('PlanClosed.v1')).toEqual([{ type: 'PlanClosedNoted', data: { sourceEventId: 'e-1', reason: 'treatment_completed', closedAt: T } }]);
  });

  test('the meaningful changes: SymptomsChanged, GoalMet, ObjectiveMet, LifeEventReported', () => {
    expect(facts('SymptomsChanged.v1')).toEqual([{ type: 'ClinicalChangeNoted', data: { sourceEventId: 'e-1', kind: 'symptoms_changed', occurredAt: T, assessmentId: SAMPLE_IDS.assessment } }]);
    expect(facts('GoalMet.v1')).toEqual([{ type: 'ClinicalChangeNoted', data: { sourceEventId: 'e-1', kind: 'goal_met', occurredAt: T, goalId: SAMPLE_IDS.goal } }]);
    expect(facts('ObjectiveMet.v1')).toEqual([{ type: 'ClinicalChangeNoted', data: { sourceEventId: 'e-1', kind: 'objective_met', occurredAt: T, goalId: SAMPLE_IDS.goal, objectiveId: SAMPLE_IDS.objective } }]);
    expect(facts('LifeEventReported.v1')).toEqual([{ type: 'ClinicalChangeNoted', data: { sourceEventId: 'e-1', kind: 'life_event', occurredAt: T } }]);
  });

  test('the review topic: a task opened, overdue or completed, with its reasons, triggers and due time', () => {
    const task = { sourceEventId: 'e-1', taskId: SAMPLE_IDS.task, triggeredBy: [SAMPLE_IDS.triggerEvent] };
    expect(facts('ReviewTaskOpened.v1')).toEqual([{ type: 'ReviewTaskNoted', data: { ...task, status: 'open', reasons: ['reliable_change'], dueAt: '2026-03-16T09:30:00.000Z', at: T } }]);
    expect(facts('ReviewTaskOverdue.v1')).toEqual([{ type: 'ReviewTaskNoted', data: { ...task, status: 'overdue', reasons: ['safety_flag'], dueAt: '2026-03-03T09:30:00.000Z', at: '2026-03-03T09:30:05.000Z' } }]);
    expect(facts('ReviewTaskCompleted.v1')).toEqual([{ type: 'ReviewTaskNoted', data: { ...task, status: 'completed', reasons: ['reliable_change'], dueAt: '2026-03-16T09:30:00.000Z', at: T } }]);
  });
});

describe('an event that repeats what the stream holds decides nothing', () => {
  const plan = after(opened, ...inEffect(1));

  test('a second PlanOpened, a signature of a revision in effect, a PlanRevised at or below the one in effect', () => {
    expect(factsOf(plan, 'e-2', publicEvent('PlanOpened.v1'))).toEqual([]);
    expect(factsOf(plan, 'e-2', publicEvent('PlanSigned.v1', { revision: 1 }))).toEqual([]);
    expect(factsOf(plan, 'e-2', publicEvent('PlanRevised.v1', { revision: 1 }))).toEqual([]);
    expect(factsOf(after(opened, ...inEffect(1), ...inEffect(2)), 'e-2', publicEvent('PlanRevised.v1', { revision: 1 }))).toEqual([]);
    expect(factsOf(plan, 'e-2', publicEvent('PlanSigned.v1', { revision: 2 }))).toHaveLength(1);
  });

  test('a second PlanClosed', () => {
    expect(factsOf(after(opened, ['PlanClosed.v1']), 'e-2', publicEvent('PlanClosed.v1'))).toEqual([]);
  });

  test('a completed task stays completed; an overdue one is not reopened by a late ReviewTaskOpened, but can be completed', () => {
    const overdue = after(opened, ['ReviewTaskOverdue.v1']);
    expect(factsOf(overdue, 'e-2', publicEvent('ReviewTaskOpened.v1'))).toEqual([]);
    expect(factsOf(overdue, 'e-2', publicEvent('ReviewTaskCompleted.v1'))).toHaveLength(1);
    const completed = after(opened, ['ReviewTaskCompleted.v1']);
    for (const key of ['ReviewTaskOpened.v1', 'ReviewTaskOverdue.v1', 'ReviewTaskCompleted.v1'] as const) expect(factsOf(completed, 'e-2', publicEvent(key))).toEqual([]);
    expect(factsOf(after(opened, ['ReviewTaskOpened.v1']), 'e-2', publicEvent('ReviewTaskOverdue.v1'))).toHaveLength(1);
    // Another task of the same plan is its own.
    expect(factsOf(completed, 'e-2', publicEvent('ReviewTaskOpened.v1', { taskId: 'c0000000-0000-4000-8000-000000000001' }))).toHaveLength(1);
  });

  test('an event of no interest decides nothing and causes no check', () => {
    expect(readinessDecider.decide(noteEvent(publicEvent('ReviewTaskEscalated.v1'), commercial), plan)).toEqual([]);
  });
});

describe('each noted event is followed by a check, caused by that event', () => {
  test('a plan event is cause plan_event, a review event review_event; triggeredBy is the event id', () => {
    const plan = after(opened, ...inEffect(1));
    const [, planCheck] = readinessDecider.decide(noteEvent(publicEvent('GoalMet.v1'), commercial, undefined, 'e-goal'), plan);
    expect(planCheck.data).toMatchObject({ cause: 'plan_event', triggeredBy: 'e-goal' });
    const [, reviewCheck] = readinessDecider.decide(noteEvent(publicEvent('ReviewTaskOpened.v1'), commercial, undefined, 'e-task'), plan);
    expect(reviewCheck.data).toMatchObject({ cause: 'review_event', triggeredBy: 'e-task' });
  });
});

describe('one check per clinical change (docs/payer-rules.md)', () => {
  const source = (key: Key, eventId: string, overrides: object = {}) => ({ eventId, event: publicEvent(key, overrides) });
  const assessed = source('AssessmentRecorded.v1', 'e-assessed');
  const changed = source('SymptomsChanged.v1', 'e-sx');
  const other = { assessmentId: 'a0000000-0000-4000-8000-000000000077' };
  const ids = (changes: ReturnType<typeof clinicalChangesOf>) => changes.map(({ last, before }) => [...before.map((e) => e.eventId), last.eventId]);

  test('an assessment directly followed by the SymptomsChanged of that assessment is one change; every other event is its own', () => {
    expect(ids(clinicalChangesOf([assessed, changed]))).toEqual([['e-assessed', 'e-sx']]);
    expect(ids(clinicalChangesOf([changed, assessed]))).toEqual([['e-sx'], ['e-assessed']]);
    expect(ids(clinicalChangesOf([source('AssessmentRecorded.v1', 'e-a1', other), assessed, changed, source('GoalMet.v1', 'e-goal')]))).toEqual([['e-a1'], ['e-assessed', 'e-sx'], ['e-goal']]);
    expect(ids(clinicalChangesOf([assessed, changed, source('AssessmentRecorded.v1', 'e-a2', other), source('SymptomsChanged.v1', 'e-sx2', other)]))).toEqual([['e-assessed', 'e-sx'], ['e-a2', 'e-sx2']]);
    expect(clinicalChangesOf([])).toEqual([]);
  });

  test('not paired: another assessment\'s change, another plan\'s, an event between, or a change alone', () => {
    expect(ids(clinicalChangesOf([assessed, source('SymptomsChanged.v1', 'e-sx', other)]))).toEqual([['e-assessed'], ['e-sx']]);
    expect(ids(clinicalChangesOf([assessed, source('SymptomsChanged.v1', 'e-sx', { planId: SAMPLE_IDS.task })]))).toEqual([['e-assessed'], ['e-sx']]);
    expect(ids(clinicalChangesOf([assessed, source('GoalMet.v1', 'e-goal'), changed]))).toEqual([['e-assessed'], ['e-goal'], ['e-sx']]);
    expect(ids(clinicalChangesOf([assessed, source('AssessmentRecorded.v1', 'e-again')]))).toEqual([['e-assessed'], ['e-again']]);
    expect(ids(clinicalChangesOf([changed]))).toEqual([['e-sx']]);
    expect(ids(clinicalChangesOf([changed, { ...changed, eventId: 'e-sx-again' }]))).toEqual([['e-sx'], ['e-sx-again']]);
  });

  test('both are noted in order, then one check of the plan as they leave it, naming the SymptomsChanged', () => {
    const plan = after(opened, ...inEffect(1));
    const events = readinessDecider.decide({ ...noteEvent(changed.event, commercial, undefined, 'e-sx'), data: { ...changed, before: [assessed] } } as never, plan);
    expect(events.map((e) => e.type)).toEqual(['AssessmentNoted', 'ClinicalChangeNoted', 'ReadinessChecked']);
    expect(events[0].data).toMatchObject({ sourceEventId: 'e-assessed' });
    expect(events[1].data).toMatchObject({ sourceEventId: 'e-sx' });
    expect(events[2].data).toMatchObject({ cause: 'plan_event', triggeredBy: 'e-sx', outcome: 'at_risk' });
    // The same check as the one after the SymptomsChanged when the two are noted one by one.
    const oneByOne = after(opened, ...inEffect(1), ['AssessmentRecorded.v1', {}, 'e-assessed'], ['SymptomsChanged.v1', {}, 'e-sx']);
    expect(events.reduce(evolve, plan).lastCheck).toEqual({ ...oneByOne.lastCheck, checkId: expect.any(String), checkedAt: expect.any(String) });
    expect(events.reduce(evolve, plan).checks).toBe(oneByOne.checks - 1);
  });

  test('each event is read on the state the one before it left; a check follows when any of them is new', () => {
    const plan = after(opened, ...inEffect(1));
    const closed = source('PlanClosed.v1', 'e-closed');
    const noted = (state: PlanReadiness, before: object[], last: object) => readinessDecider.decide({ ...noteEvent(closed.event, commercial), data: { ...last, before } } as never, state);
    // The second PlanClosed repeats the first one, noted just before it: nothing of its own, and the check still follows.
    const events = noted(plan, [closed], { ...closed, eventId: 'e-again' });
    expect(events.map((e) => e.type)).toEqual(['PlanClosedNoted', 'ReadinessChecked']);
    expect(events[1].data).toMatchObject({ triggeredBy: 'e-again' });
    // Neither is new: no check.
    expect(noted(after(opened, ...inEffect(1), ['PlanClosed.v1']), [closed], { ...closed, eventId: 'e-again' })).toEqual([]);
  });
});

describe('what the readiness state keeps (evolve)', () => {
  test('the newest revision heard of, from the opening, a signature or a revision', () => {
    expect(after(['PlanOpened.v1', { revision: 3 }]).latestRevision).toBe(3);
    expect(after(opened, signed(4, 'client', IDS.client), signed(2, 'client', IDS.client)).latestRevision).toBe(4);
    expect(after(opened, revised(5), ['PlanOpened.v1', { revision: 1 }]).latestRevision).toBe(5);
  });

  test('signatures wait on their revision until it takes effect; then they are the revision\'s, and later revisions\' stay pending', () => {
    const plan = after(opened, signed(1, 'client', IDS.client), signed(1, 'clinician', IDS.clinician), signed(2, 'client', IDS.client), revised(1));
    expect(plan.revisions.map((r) => [r.revision, r.revisedAt, Object.keys(r.signatures)])).toEqual([[1, T, ['client', 'clinician']]]);
    expect(plan.revisions[0].signatures.clinician).toEqual({ signerId: IDS.clinician, signedAt: T });
    expect(plan.pendingSignatures).toEqual({ 2: { client: { signerId: IDS.client, signedAt: T } } });
    expect(after(opened, revised(1)).revisions[0].signatures).toEqual({});
  });

  test('the first revision answers every change before it; a later one only those it names', () => {
    expect(after(opened, ['GoalMet.v1', {}, 'e-goal'], ...inEffect(1)).pendingChanges).toEqual([]);
    const plan = after(opened, ...inEffect(1), ['GoalMet.v1', {}, 'e-goal'], ['LifeEventReported.v1', {}, 'e-life'], ...inEffect(2, ['e-goal']));
    expect(plan.pendingChanges).toEqual([{ eventId: 'e-life', kind: 'life_event', occurredAt: T }]);
  });

  test('a completed review answers the changes that opened or joined it, whatever its resolution; an open one answers nothing', () => {
    const changed = [opened, ...inEffect(1), ['GoalMet.v1', {}, 'e-goal'], ['SymptomsChanged.v1', {}, 'e-sx']] as [Key, object?, string?][];
    expect(after(...changed, ['ReviewTaskOpened.v1', { triggeredBy: ['e-goal'] }]).pendingChanges.map((c) => c.eventId)).toEqual(['e-goal', 'e-sx']);
    const reviewed = after(...changed, ['ReviewTaskOpened.v1', { triggeredBy: ['e-goal'] }], ['ReviewTaskCompleted.v1', { triggeredBy: ['e-goal'], resolution: 'reviewed_no_change', resolvedBy: null, revision: null }]);
    expect(reviewed.pendingChanges.map((c) => c.eventId)).toEqual(['e-sx']);
    expect(reviewed.tasks).toEqual([{ taskId: SAMPLE_IDS.task, status: 'completed', reasons: ['reliable_change'], triggeredBy: ['e-goal'], dueAt: '2026-03-16T09:30:00.000Z' }]);
  });

  test('goals and objectives met are kept as progress', () => {
    const plan = after(opened, ['GoalMet.v1', {}, 'e-goal'], ['ObjectiveMet.v1', {}, 'e-objective'], ['SymptomsChanged.v1']);
    expect(plan.progress).toEqual({ goalsMet: [{ goalId: SAMPLE_IDS.goal, metAt: T }], objectivesMet: [{ objectiveId: SAMPLE_IDS.objective, goalId: SAMPLE_IDS.goal, metAt: T }] });
  });

  test('the 24 latest assessments are kept', () => {
    const assessments = Array.from({ length: 26 }, (_, i): [Key, object] => ['AssessmentRecorded.v1', { assessmentId: `a0000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, score: i }]);
    const plan = after(opened, ...assessments);
    expect(plan.assessments).toHaveLength(24);
    expect(plan.assessments[0]).toEqual({ assessmentId: 'a0000000-0000-4000-8000-000000000002', instrument: 'PHQ-9', score: 2, band: 'moderately_severe', assessedAt: T });
  });

  test('the 24 latest taken are kept: a score entered late takes its place by date, and never pushes out a newer one', () => {
    const weekly = Array.from({ length: 24 }, (_, i): [Key, object] => [
      'AssessmentRecorded.v1',
      { assessmentId: `b0000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, score: i, assessedAt: `2026-${String(1 + Math.floor(i / 4)).padStart(2, '0')}-${String(1 + (i % 4) * 7).padStart(2, '0')}T10:00:00.000Z` },
    ]);
    const lateOld: [Key, object] = ['AssessmentRecorded.v1', { assessmentId: 'b0000000-0000-4000-8000-000000000098', score: 20, assessedAt: '2025-12-01T10:00:00.000Z' }];
    const lateBetween: [Key, object] = ['AssessmentRecorded.v1', { assessmentId: 'b0000000-0000-4000-8000-000000000099', score: 21, assessedAt: '2026-06-02T10:00:00.000Z' }];
    const plan = after(opened, ...weekly, lateOld, lateBetween);
    expect(plan.assessments).toHaveLength(24);
    const dates = plan.assessments.map((a) => a.assessedAt);
    expect(dates).toEqual([...dates].sort());
    expect(plan.assessments.map((a) => a.assessmentId)).not.toContain('b0000000-0000-4000-8000-000000000098');
    expect(plan.assessments.map((a) => a.assessmentId)).toContain('b0000000-0000-4000-8000-000000000099');
    expect(plan.assessments.at(-1)!.assessmentId).toBe('b0000000-0000-4000-8000-000000000023');
  });

  test('a closed plan keeps when and why, and has no change left to answer', () => {
    const plan = after(opened, ...inEffect(1), ['GoalMet.v1'], ['PlanClosed.v1']);
    expect(plan).toMatchObject({ closed: { closedAt: T, reason: 'treatment_completed' }, pendingChanges: [] });
  });

  test('the last check and the number of checks', () => {
    const plan = after(opened, ...inEffect(1));
    expect(plan.checks).toBe(4);
    expect(plan.lastCheck).toMatchObject({ outcome: 'ready', findings: [], ruleSetId: 'commercial-default', ruleSetVersion: commercial.version });
  });
});
