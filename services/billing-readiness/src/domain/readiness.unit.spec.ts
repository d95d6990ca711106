import { join } from 'node:path';
// Test-only (it uses jest's expect), so it is not exported from the library's index.
import { deciderSpecification } from '@golden-loop/decider/src/specification';
import { loadRuleSets } from '../rule-sets/rule-set-loader';
import type { ReadinessCommand } from './commands';
import { DecisionInconsistent, PlanNotKnown, ReauthorizationAlreadyDecided } from './errors';
import type { ReadinessChecked, ReadinessEvent } from './events';
import { evolve } from './evolve';
import { readinessDecider } from './readiness';
import { initialState } from './state';
import { aCheckPolicy, aRevisedPlan, DAY, IDS, noteEvent, NOW, publicEvent } from './testing/readiness-builders';

const commercial = loadRuleSets(join(__dirname, '..', '..', 'rule-sets')).ruleSets.get('commercial-default')!;
const given = deciderSpecification(readinessDecider);
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

/** The stream after each public event, as the consumer would have written it. */
const history = (...inputs: [Parameters<typeof publicEvent>[0], object?, string?][]): ReadinessEvent[] =>
  inputs.reduce<ReadinessEvent[]>((events, [key, overrides, eventId]) => {
    const state = events.reduce(evolve, initialState());
    return [...events, ...readinessDecider.decide(noteEvent(publicEvent(key, overrides ?? {}), commercial, NOW, eventId), state)];
  }, []);

const opened = (): [Parameters<typeof publicEvent>[0], object?][] => [
  ['PlanOpened.v1', { clientId: IDS.client, clinicianId: IDS.clinician, payerId: IDS.payer, openedAt: at(-3).toISOString() }],
];
const signedAndRevised = (revision: number, triggersAnswered: string[] = []): [Parameters<typeof publicEvent>[0], object?][] => [
  ['PlanSigned.v1', { revision, signerRole: 'client', signerId: IDS.client, signedAt: at(-1).toISOString() }],
  ['PlanSigned.v1', { revision, signerRole: 'clinician', signerId: IDS.clinician, signedAt: at(-1).toISOString() }],
  ['PlanRevised.v1', { revision, reason: revision === 1 ? 'initial_plan' : 'symptom_change', triggersAnswered, revisedPlan: aRevisedPlan(), revisedAt: at(-1).toISOString() }],
];

const checkOf = (events: readonly ReadinessEvent[]) => events.find((e): e is ReadinessChecked => e.type === 'ReadinessChecked')!.data;

describe('the loop: a change after the revision in effect is at_risk until a revision answers it', () => {
  test('a plan opened but not signed is not_ready, naming both missing signatures', () => {
    const events = given().when(noteEvent(publicEvent('PlanOpened.v1', { payerId: IDS.payer }), commercial)).thenTypes(['PlanOpenedNoted', 'ReadinessChecked']);
    expect(checkOf(events)).toMatchObject({ outcome: 'not_ready', cause: 'plan_event', ruleSetId: 'commercial-default' });
    expect(checkOf(events).findings.map((f) => f.code)).toEqual(['revision_not_signed_by_client', 'revision_not_signed_by_clinician']);
  });

  test('revision 1 signed by both and in effect makes it ready', () => {
    const events = given(history(...opened(), ...signedAndRevised(1).slice(0, 2))).when(noteEvent(publicEvent('PlanRevised.v1', { revision: 1, reason: 'initial_plan', triggersAnswered: [], revisedPlan: aRevisedPlan(), revisedAt: at(-1).toISOString() }), commercial)).thenTypes(['PlanRevisionNoted', 'ReadinessChecked']);
    expect(checkOf(events)).toMatchObject({ outcome: 'ready', findings: [] });
  });

  test('a PHQ-9 rise after the revision makes it at_risk; the revision that answers it makes it ready again', () => {
    const trigger = 'f0000000-0000-4000-8000-000000000001';
    const atRisk = given(history(...opened(), ...signedAndRevised(1)))
      .when(noteEvent(publicEvent('SymptomsChanged.v1'), commercial, NOW, trigger))
      .thenTypes(['ClinicalChangeNoted', 'ReadinessChecked']);
    expect(checkOf(atRisk)).toMatchObject({ outcome: 'at_risk', triggeredBy: trigger, findings: [expect.objectContaining({ code: 'clinical_change_not_reflected', evidence: { eventIds: [trigger] } })] });

    const stillAtRisk = given(history(...opened(), ...signedAndRevised(1), ['SymptomsChanged.v1', {}, trigger], ...signedAndRevised(2).slice(0, 2)))
      .when(noteEvent(publicEvent('PlanRevised.v1', { revision: 2, triggersAnswered: [], revisedPlan: aRevisedPlan(), revisedAt: NOW.toISOString() }), commercial))
      .thenTypes(['PlanRevisionNoted', 'ReadinessChecked']);
    expect(checkOf(stillAtRisk).outcome).toBe('at_risk');

    const answered = given(history(...opened(), ...signedAndRevised(1), ['SymptomsChanged.v1', {}, trigger], ...signedAndRevised(2).slice(0, 2)))
      .when(noteEvent(publicEvent('PlanRevised.v1', { revision: 2, triggersAnswered: [trigger], revisedPlan: aRevisedPlan(), revisedAt: NOW.toISOString() }), commercial))
      .thenTypes(['PlanRevisionNoted', 'ReadinessChecked']);
    expect(checkOf(answered)).toMatchObject({ outcome: 'ready', findings: [] });
  });

  test('an overdue plan-update task makes it not_ready until that task is completed', () => {
    const trigger = 'f0000000-0000-4000-8000-000000000002';
    const task = { taskId: IDS.task, triggeredBy: [trigger] };
    const before = history(...opened(), ...signedAndRevised(1), ['GoalMet.v1', {}, trigger], ['ReviewTaskOpened.v1', task]);
    const overdue = given(before).when(noteEvent(publicEvent('ReviewTaskOverdue.v1', task), commercial)).thenTypes(['ReviewTaskNoted', 'ReadinessChecked']);
    expect(checkOf(overdue)).toMatchObject({ outcome: 'not_ready', cause: 'review_event' });
    expect(checkOf(overdue).findings.map((f) => f.code).sort()).toEqual(['clinical_change_not_reflected', 'plan_update_overdue']);

    const completed = given([...before, ...history(['ReviewTaskOverdue.v1', task])])
      .when(noteEvent(publicEvent('ReviewTaskCompleted.v1', { ...task, resolution: 'reviewed_no_change', resolvedBy: null, revision: null }), commercial))
      .thenTypes(['ReviewTaskNoted', 'ReadinessChecked']);
    expect(checkOf(completed)).toMatchObject({ outcome: 'ready' });
  });
});

describe('events of no interest decide nothing; a decider never throws on normal input', () => {
  test.each([
    ['GoalAdded (a drafting step)', publicEvent('GoalAdded.v1')],
    ['ObjectiveAdded (a drafting step)', publicEvent('ObjectiveAdded.v1')],
    ['our own AuthorizationCheckCompleted', publicEvent('AuthorizationCheckCompleted.v1')],
  ])('%s', (_, event) => {
    given(history(...opened())).when(noteEvent(event, commercial)).thenNothingHappens();
  });

  test('a second PlanOpened and a late PlanRevised of an older revision add nothing', () => {
    const stream = history(...opened(), ...signedAndRevised(1));
    given(stream).when(noteEvent(publicEvent('PlanOpened.v1'), commercial)).thenNothingHappens();
    given(stream).when(noteEvent(publicEvent('PlanRevised.v1', { revision: 1 }), commercial)).thenNothingHappens();
  });

  test('a self-pay plan is noted but never checked', () => {
    given().when(noteEvent(publicEvent('PlanOpened.v1', { payerId: null }), commercial)).thenTypes(['PlanOpenedNoted']);
  });

  test('a review event before the plan is known is noted and checked later', () => {
    given().when(noteEvent(publicEvent('ReviewTaskOpened.v1'), commercial)).thenTypes(['ReviewTaskNoted']);
  });
});

describe('authorizations, sessions and re-authorization', () => {
  const command = <T extends ReadinessCommand['type']>(type: T, data: Extract<ReadinessCommand, { type: T }>['data'], now = NOW): ReadinessCommand =>
    ({ type, data, metadata: { now: now.toISOString(), userId: IDS.clinician }, check: aCheckPolicy(commercial) }) as ReadinessCommand;
  const authorization = { authorizationId: IDS.authorization, authorizationNumber: 'PA-1', payerId: null, serviceCodes: ['90837'], sessionsAuthorized: 4, startsOn: '2026-03-01', endsOn: '2026-05-31' };
  const base = () => history(...opened(), ...signedAndRevised(1));

  test('an authorization for an unknown plan is refused with plan_not_found', () => {
    given().when(command('RecordAuthorization', authorization)).thenThrows(PlanNotKnown, { code: 'plan_not_found' });
  });

  test('a session counts against the authorization covering it; the last but one leaves it at_risk', () => {
    const withAuthorization = [...base(), ...readinessDecider.decide(command('RecordAuthorization', authorization), base().reduce(evolve, initialState()))];
    const sessions = (n: number) =>
      Array.from({ length: n }).reduce<ReadinessEvent[]>((events, _, i) => {
        const state = events.reduce(evolve, initialState());
        return [...events, ...readinessDecider.decide(command('RecordSession', { sessionId: `5e000000-0000-4000-8000-00000000000${i}`, dateOfService: '2026-03-0' + (i + 2), serviceCode: '90837', minutes: 55 }), state)];
      }, withAuthorization);
    const third = given(sessions(2)).when(command('RecordSession', { sessionId: '5e000000-0000-4000-8000-000000000009', dateOfService: '2026-03-09', serviceCode: '90837', minutes: 55 })).thenTypes(['SessionRecorded', 'ReadinessChecked']);
    expect(third[0].data).toMatchObject({ authorizationId: IDS.authorization });
    expect(checkOf(third)).toMatchObject({ outcome: 'at_risk', findings: [expect.objectContaining({ code: 'authorization_sessions_low', evidence: expect.objectContaining({ sessionsRemaining: 1 }) })] });
  });

  test('a standard re-authorization request is due in 7 calendar days; an expedited one in 72 hours (CMS-0057-F)', () => {
    const standard = given(base()).when(command('RequestReauthorization', { requestId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f16', priority: 'standard', serviceCodes: ['90837'], sessionsRequested: 12, authorizationId: null, period: null })).thenTypes(['ReauthorizationRequested', 'ReadinessChecked']);
    expect(standard[0].data).toMatchObject({ submittedAt: NOW.toISOString(), decisionDueAt: at(7).toISOString() });
    const expedited = given(base()).when(command('RequestReauthorization', { requestId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f16', priority: 'expedited', serviceCodes: ['90837'], sessionsRequested: 12, authorizationId: null, period: null })).thenTypes(['ReauthorizationRequested', 'ReadinessChecked']);
    expect(expedited[0].data).toMatchObject({ decisionDueAt: at(3).toISOString() });
  });

  test('an overdue decision is flagged once and makes the plan at_risk; a decision afterwards is recorded as late', () => {
    const requestId = '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f16';
    const requested = [...base(), ...readinessDecider.decide(command('RequestReauthorization', { requestId, priority: 'expedited', serviceCodes: ['90837'], sessionsRequested: 12, authorizationId: null, period: null }), base().reduce(evolve, initialState()))];
    const flagged = given(requested).when(command('FlagDecisionOverdue', { requestId }, at(3))).thenTypes(['ReauthorizationDecisionOverdue', 'ReadinessChecked']);
    expect(checkOf(flagged).findings.map((f) => f.code)).toEqual(['reauthorization_decision_overdue']);
    given([...requested, ...flagged]).when(command('FlagDecisionOverdue', { requestId }, at(4))).thenNothingHappens();

    const decided = given([...requested, ...flagged])
      .when(command('RecordPayerDecision', { requestId, decision: 'partial', sessionsApproved: 8, authorization: { authorizationId: IDS.authorization, authorizationNumber: 'PA-9', startsOn: '2026-03-14', endsOn: '2026-06-30' } }, at(4)))
      .thenTypes(['AuthorizationRecorded', 'ReauthorizationDecided', 'ReadinessChecked']);
    expect(decided[1].data).toMatchObject({ decision: 'partial', sessionsApproved: 8, late: true });
    given([...requested, ...flagged, ...decided]).when(command('RecordPayerDecision', { requestId, decision: 'denied', sessionsApproved: 0, authorization: null })).thenThrows(ReauthorizationAlreadyDecided);
  });

  test('a partial approval of every session requested is refused as inconsistent', () => {
    const requestId = '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f16';
    const requested = [...base(), ...readinessDecider.decide(command('RequestReauthorization', { requestId, priority: 'standard', serviceCodes: ['90837'], sessionsRequested: 12, authorizationId: null, period: null }), base().reduce(evolve, initialState()))];
    given(requested)
      .when(command('RecordPayerDecision', { requestId, decision: 'partial', sessionsApproved: 12, authorization: { authorizationId: IDS.authorization, authorizationNumber: 'PA-9', startsOn: '2026-03-14', endsOn: '2026-06-30' } }))
      .thenThrows(DecisionInconsistent, { code: 'decision_inconsistent', field: 'sessionsApproved' });
  });
});

describe('a re-check (a timer, a rule set or credentials that changed)', () => {
  const recheck = (cause: 'scheduled' | 'rule_set_changed' | 'credentials_changed'): ReadinessCommand => ({ type: 'Recheck', data: { cause }, metadata: { now: NOW.toISOString() }, check: aCheckPolicy(commercial) });

  test('checks a plan billing can check, with its cause and no triggering event', () => {
    const [checked, ...rest] = given(history(...opened(), ...signedAndRevised(1))).when(recheck('rule_set_changed')).thenTypes(['ReadinessChecked']);
    expect(rest).toEqual([]);
    expect(checked.data).toMatchObject({ cause: 'rule_set_changed', triggeredBy: null, outcome: 'ready' });
  });

  test('decides nothing for a plan billing has not heard of, or a self-pay one', () => {
    given().when(recheck('scheduled')).thenNothingHappens();
    given(history(['PlanOpened.v1', { payerId: null }])).when(recheck('credentials_changed')).thenNothingHappens();
  });
});
