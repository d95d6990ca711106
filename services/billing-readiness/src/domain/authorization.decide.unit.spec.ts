import { join } from 'node:path';
import { deciderSpecification } from '@golden-loop/decider/src/specification';
import { loadRuleSets } from '../rule-sets/rule-set-loader';
import type { ReadinessCommand } from './commands';
import {
  AuthorizationAlreadyRecorded,
  AuthorizationNotFound,
  AuthorizationPayerMismatch,
  DecisionInconsistent,
  PlanIsClosed,
  PlanIsSelfPay,
  PlanNotKnown,
  ReauthorizationNotFound,
  SessionAlreadyRecorded,
} from './errors';
import type { ReadinessChecked, ReadinessEvent } from './events';
import { readinessDecider } from './readiness';
import type { PlanReadiness } from './state';
import { aCheckPolicy, aCompliantPlan, DAY, IDS, NOW } from './testing/readiness-builders';

// Authorizations, sessions and re-authorization requests recorded through the API (docs/payer-rules.md,
// "Authorizations and sessions", "Re-authorization"): each is refused with its code, or recorded and followed by a check.

const commercial = loadRuleSets(join(__dirname, '..', '..', 'rule-sets')).ruleSets.get('commercial-default')!;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
type Data<T extends ReadinessCommand['type']> = Extract<ReadinessCommand, { type: T }>['data'];
const command = <T extends ReadinessCommand['type']>(type: T, data: Data<T>, options: { now?: Date; userId?: string | null } = {}): ReadinessCommand =>
  ({
    type,
    data,
    metadata: options.userId === null ? { now: (options.now ?? NOW).toISOString() } : { now: (options.now ?? NOW).toISOString(), userId: options.userId ?? IDS.clinician },
    check: aCheckPolicy(commercial),
  }) as ReadinessCommand;

/** A given(state) over a plan state as it stands, rather than an event history. */
const on = (state: PlanReadiness) => ({
  decide: (cmd: ReadinessCommand) => readinessDecider.decide(cmd, state),
  throws: (cmd: ReadinessCommand) => {
    try {
      readinessDecider.decide(cmd, state);
    } catch (error) {
      return error;
    }
    return undefined;
  },
});
const checkOf = (events: readonly ReadinessEvent[]) => events.find((e): e is ReadinessChecked => e.type === 'ReadinessChecked')!.data;
const given = deciderSpecification(readinessDecider);

const authorization = (overrides: Partial<Data<'RecordAuthorization'>> = {}): Data<'RecordAuthorization'> => ({
  authorizationId: 'a-new',
  authorizationNumber: 'PA-2',
  payerId: null,
  serviceCodes: ['90837'],
  sessionsAuthorized: 10,
  startsOn: '2026-05-10',
  endsOn: '2026-08-07',
  ...overrides,
});
const session = (overrides: Partial<Data<'RecordSession'>> = {}): Data<'RecordSession'> => ({ sessionId: 's-new', dateOfService: '2026-03-10', serviceCode: '90837', minutes: 55, ...overrides });

describe('recording an authorization', () => {
  test("is recorded for the plan's payer, by whom and when, and followed by a check (cause authorization)", () => {
    const events = on(aCompliantPlan()).decide(command('RecordAuthorization', authorization()));
    expect(events.map((e) => e.type)).toEqual(['AuthorizationRecorded', 'ReadinessChecked']);
    expect(events[0].data).toEqual({ planId: IDS.plan, ...authorization(), payerId: IDS.payer, requestId: null, recordedAt: NOW.toISOString(), by: IDS.clinician });
    expect(checkOf(events)).toMatchObject({ cause: 'authorization', triggeredBy: null, outcome: 'ready' });
  });

  test('naming the plan\'s payer is the same as naming none; with no user it is recorded by the system', () => {
    const events = on(aCompliantPlan()).decide(command('RecordAuthorization', authorization({ payerId: IDS.payer }), { userId: null }));
    expect(events[0].data).toMatchObject({ payerId: IDS.payer, by: 'system' });
  });

  test.each([
    ['a plan billing has not heard of', { opened: null }, authorization(), PlanNotKnown, 'plan_not_found'],
    ['a self-pay plan', { opened: { ...aCompliantPlan().opened!, payerId: null } }, authorization(), PlanIsSelfPay, 'plan_self_pay'],
    ['a closed plan', { closed: { closedAt: at(-1).toISOString(), reason: 'treatment_completed' } }, authorization(), PlanIsClosed, 'plan_closed'],
    ["another payer's authorization", {}, authorization({ payerId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a99' }), AuthorizationPayerMismatch, 'authorization_payer_mismatch'],
    ['a number already recorded', {}, authorization({ authorizationNumber: 'PA-1' }), AuthorizationAlreadyRecorded, 'authorization_already_recorded'],
  ] as const)('is refused for %s', (_, state, data, errorType, code) => {
    const error = on(aCompliantPlan(state)).throws(command('RecordAuthorization', data));
    expect(error).toBeInstanceOf(errorType);
    expect(error).toMatchObject({ code });
  });
});

describe('recording a session: it counts against an authorization covering its date and service with a session left', () => {
  const auth = aCompliantPlan().authorizations[0];
  const plan = (authorizations = aCompliantPlan().authorizations, sessions = aCompliantPlan().sessions) => aCompliantPlan({ authorizations, sessions });
  const drawnFrom = (state: PlanReadiness, data = session()) => (on(state).decide(command('RecordSession', data))[0].data as { authorizationId: string | null }).authorizationId;

  test('is recorded with the authorization it draws on, by whom and when, and followed by a check (cause session)', () => {
    const events = on(plan()).decide(command('RecordSession', session()));
    expect(events.map((e) => e.type)).toEqual(['SessionRecorded', 'ReadinessChecked']);
    expect(events[0].data).toEqual({ planId: IDS.plan, ...session(), authorizationId: IDS.authorization, recordedAt: NOW.toISOString(), by: IDS.clinician });
    expect(checkOf(events)).toMatchObject({ cause: 'session', triggeredBy: null });
    expect(on(plan()).decide(command('RecordSession', session(), { userId: null }))[0].data).toMatchObject({ by: 'system' });
  });

  test('of several that cover it, the one ending first (the order a payer draws them down)', () => {
    const three = [
      { ...auth, authorizationId: 'a-late', endsOn: '2026-06-30' },
      { ...auth, authorizationId: 'a-first', endsOn: '2026-03-31' },
      { ...auth, authorizationId: 'a-mid', endsOn: '2026-04-30' },
    ];
    expect(drawnFrom(plan(three, []))).toBe('a-first');
  });

  test('not one whose sessions are used up, another payer\'s, one not covering the date, or one for another service', () => {
    const used = Array.from({ length: 2 }, (_, i) => ({ sessionId: `s-${i}`, dateOfService: '2026-03-01', serviceCode: '90837', minutes: 55, authorizationId: 'a-full' }));
    const candidates = [
      { ...auth, authorizationId: 'a-full', sessionsAuthorized: 2, endsOn: '2026-03-20' },
      { ...auth, authorizationId: 'a-other-payer', payerId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a99', endsOn: '2026-03-21' },
      { ...auth, authorizationId: 'a-later', startsOn: '2026-03-11', endsOn: '2026-03-22' },
      { ...auth, authorizationId: 'a-other-service', serviceCodes: ['90834'], endsOn: '2026-03-23' },
      { ...auth, authorizationId: 'a-left', sessionsAuthorized: 3, endsOn: '2026-03-24' },
    ];
    expect(drawnFrom(plan(candidates, used))).toBe('a-left');
    expect(drawnFrom(plan(candidates.slice(0, 4), used))).toBeNull();
  });

  test('is refused for a session id already recorded, and for a plan billing cannot bill', () => {
    const state = plan();
    expect(on(state).throws(command('RecordSession', session({ sessionId: state.sessions[0].sessionId })))).toMatchObject({ code: 'session_already_recorded' });
    expect(on(state).throws(command('RecordSession', session({ sessionId: state.sessions[0].sessionId })))).toBeInstanceOf(SessionAlreadyRecorded);
    expect(on(aCompliantPlan({ opened: null })).throws(command('RecordSession', session()))).toBeInstanceOf(PlanNotKnown);
    expect(on(aCompliantPlan({ opened: { ...aCompliantPlan().opened!, payerId: null } })).throws(command('RecordSession', session()))).toMatchObject({ code: 'plan_self_pay' });
  });
});

describe('requesting a re-authorization (Da Vinci PAS; CMS-0057-F decision deadlines)', () => {
  const request = (overrides: Partial<Data<'RequestReauthorization'>> = {}): Data<'RequestReauthorization'> => ({
    requestId: 'r-1',
    priority: 'standard',
    serviceCodes: ['90837'],
    sessionsRequested: 12,
    authorizationId: null,
    period: null,
    ...overrides,
  });
  const requested = (state: PlanReadiness, data = request()) => on(state).decide(command('RequestReauthorization', data));
  const claimPeriod = (events: readonly ReadinessEvent[]) => (events[0].data as { bundle: { entry: { resource: { item: { servicedPeriod: unknown }[] } }[] } }).bundle.entry[0].resource.item[0].servicedPeriod;

  test('extends the authorization in effect today: its sessions run for 90 days from the day after it ends', () => {
    const events = requested(aCompliantPlan());
    expect(events.map((e) => e.type)).toEqual(['ReauthorizationRequested', 'ReadinessChecked']);
    expect(events[0].data).toMatchObject({
      planId: IDS.plan,
      requestId: 'r-1',
      payerId: IDS.payer,
      authorizationId: IDS.authorization,
      priority: 'standard',
      serviceCodes: ['90837'],
      sessionsRequested: 12,
      submittedAt: NOW.toISOString(),
      decisionDueAt: at(7).toISOString(),
      by: IDS.clinician,
    });
    expect(claimPeriod(events)).toEqual({ start: '2026-05-10', end: '2026-08-07' });
    expect(checkOf(events)).toMatchObject({ cause: 'reauthorization' });
  });

  test('with no authorization in effect, the requested sessions run from today', () => {
    const events = requested(aCompliantPlan({ authorizations: [] }));
    expect(events[0].data).toMatchObject({ authorizationId: null, by: IDS.clinician });
    expect(claimPeriod(events)).toEqual({ start: '2026-03-10', end: '2026-06-07' });
  });

  test('extending a named authorization that already lapsed, they run from today; a period given is used as it is', () => {
    const lapsed = { ...aCompliantPlan().authorizations[0], authorizationId: 'a-lapsed', authorizationNumber: 'PA-0', startsOn: '2025-12-01', endsOn: '2026-03-09' };
    const state = aCompliantPlan({ authorizations: [lapsed] });
    const events = requested(state, request({ authorizationId: 'a-lapsed' }));
    expect(events[0].data).toMatchObject({ authorizationId: 'a-lapsed' });
    expect(claimPeriod(events)).toEqual({ start: '2026-03-10', end: '2026-06-07' });
    expect(claimPeriod(requested(state, request({ period: { start: '2026-04-01', end: '2026-04-30' } })))).toEqual({ start: '2026-04-01', end: '2026-04-30' });
  });

  test('an authorization ending today is extended from tomorrow', () => {
    const endsToday = { ...aCompliantPlan().authorizations[0], endsOn: '2026-03-10' };
    expect(claimPeriod(requested(aCompliantPlan({ authorizations: [endsToday] })))).toEqual({ start: '2026-03-11', end: '2026-06-08' });
  });

  test('an expedited request is due in 72 hours; with no user it is requested by the system', () => {
    const events = on(aCompliantPlan()).decide(command('RequestReauthorization', request({ priority: 'expedited' }), { userId: null }));
    expect(events[0].data).toMatchObject({ decisionDueAt: at(3).toISOString(), by: 'system' });
  });

  test('is refused for an authorization the plan does not have, and for a closed plan', () => {
    expect(on(aCompliantPlan()).throws(command('RequestReauthorization', request({ authorizationId: 'a-unknown' })))).toBeInstanceOf(AuthorizationNotFound);
    expect(on(aCompliantPlan({ closed: { closedAt: at(-1).toISOString(), reason: 'treatment_completed' } })).throws(command('RequestReauthorization', request()))).toBeInstanceOf(PlanIsClosed);
  });
});

describe("recording the payer's decision", () => {
  const submitted = on(aCompliantPlan()).decide(command('RequestReauthorization', { requestId: 'r-1', priority: 'standard', serviceCodes: ['90837', '90834'], sessionsRequested: 12, authorizationId: null, period: null }));
  const history = (): ReadinessEvent[] => {
    const state = aCompliantPlan();
    return [
      { type: 'PlanOpenedNoted', data: { planId: IDS.plan, sourceEventId: 'e-open', clientId: IDS.client, clinicianId: IDS.clinician, payerId: IDS.payer, revision: 1, diagnoses: state.opened!.diagnoses, openedAt: at(-40).toISOString() } },
      { type: 'AuthorizationRecorded', data: { planId: IDS.plan, ...state.authorizations[0], by: 'system' } },
      ...submitted,
    ];
  };
  const granted = { authorizationId: 'a-granted', authorizationNumber: 'PA-9', startsOn: '2026-05-10', endsOn: '2026-08-07' };
  const decision = (data: Partial<Data<'RecordPayerDecision'>>, options: { now?: Date; userId?: string | null } = {}) =>
    command('RecordPayerDecision', { requestId: 'r-1', decision: 'approved', sessionsApproved: 12, authorization: granted, ...data }, options);

  test('an approval of every session requested records the granted authorization for the services requested, then the decision', () => {
    const events = given(history()).when(decision({})).thenTypes(['AuthorizationRecorded', 'ReauthorizationDecided', 'ReadinessChecked']);
    expect(events[0].data).toEqual({ planId: IDS.plan, ...granted, payerId: IDS.payer, serviceCodes: ['90837', '90834'], sessionsAuthorized: 12, requestId: 'r-1', recordedAt: NOW.toISOString(), by: IDS.clinician });
    expect(events[1].data).toEqual({
      planId: IDS.plan,
      payerId: IDS.payer,
      requestId: 'r-1',
      decision: 'approved',
      sessionsRequested: 12,
      sessionsApproved: 12,
      authorizationId: 'a-granted',
      decisionDueAt: at(7).toISOString(),
      decidedAt: NOW.toISOString(),
      late: false,
      by: IDS.clinician,
    });
    expect(checkOf(events)).toMatchObject({ cause: 'reauthorization' });
  });

  test('a denial records no authorization; a decision after its due time is late; with no user it is recorded by the system', () => {
    const events = given(history()).when(decision({ decision: 'denied', sessionsApproved: 0, authorization: null }, { now: at(8), userId: null })).thenTypes(['ReauthorizationDecided', 'ReadinessChecked']);
    expect(events[0].data).toMatchObject({ decision: 'denied', sessionsApproved: 0, authorizationId: null, late: true, by: 'system' });
    given(history()).when(decision({ decision: 'partial', sessionsApproved: 11 }, { now: at(7) })).thenTypes(['AuthorizationRecorded', 'ReauthorizationDecided', 'ReadinessChecked']);
  });

  test.each([
    ['an approval of fewer sessions than requested', { sessionsApproved: 11 }, 'sessionsApproved', 'An approval grants the 12 sessions requested; record fewer as partial.'],
    ['a partial approval of every session', { decision: 'partial', sessionsApproved: 12 }, 'sessionsApproved', 'A partial approval grants from 1 to 11 sessions.'],
    ['a partial approval of none', { decision: 'partial', sessionsApproved: 0 }, 'sessionsApproved', 'A partial approval grants from 1 to 11 sessions.'],
    ['a denial granting sessions', { decision: 'denied', sessionsApproved: 1, authorization: null }, 'sessionsApproved', 'A denial grants no sessions and no authorization.'],
    ['a denial with an authorization', { decision: 'denied', sessionsApproved: 0 }, 'sessionsApproved', 'A denial grants no sessions and no authorization.'],
    ['an approval without the authorization granted', { authorization: null }, 'authorization', 'An approval comes with the authorization the payer granted (number and dates).'],
    ['a granted authorization whose number is already recorded', { authorization: { ...granted, authorizationNumber: 'PA-1' } }, 'authorization.authorizationNumber', 'An authorization with this number is already recorded for the plan.'],
  ] as const)('%s is decision_inconsistent', (_, data, field, message) => {
    given(history()).when(decision(data as Partial<Data<'RecordPayerDecision'>>)).thenThrows(DecisionInconsistent, { code: 'decision_inconsistent', kind: 'invalid', field, message });
  });

  test('a partial approval of 1 session is consistent', () => {
    given(history()).when(decision({ decision: 'partial', sessionsApproved: 1 })).thenTypes(['AuthorizationRecorded', 'ReauthorizationDecided', 'ReadinessChecked']);
  });

  test('a decision on a request the plan does not have is reauthorization_not_found', () => {
    given(history()).when(decision({ requestId: 'r-unknown' })).thenThrows(ReauthorizationNotFound, { code: 'reauthorization_not_found', kind: 'not_found' });
  });
});

describe('the decision timer (CMS-0057-F): an undecided request is flagged overdue once', () => {
  const requested = on(aCompliantPlan()).decide(command('RequestReauthorization', { requestId: 'r-1', priority: 'expedited', serviceCodes: ['90837'], sessionsRequested: 12, authorizationId: null, period: null }));
  const state = () => aCompliantPlan({ reauthorizations: [] });

  test('flags it with what the payer was asked and when, and checks the plan (cause scheduled)', () => {
    const withRequest = requested.slice(0, 1).reduce(readinessDecider.evolve, state());
    const events = readinessDecider.decide(command('FlagDecisionOverdue', { requestId: 'r-1' }, { now: at(3) }), withRequest);
    expect(events.map((e) => e.type)).toEqual(['ReauthorizationDecisionOverdue', 'ReadinessChecked']);
    expect(events[0].data).toEqual({ planId: IDS.plan, payerId: IDS.payer, requestId: 'r-1', priority: 'expedited', submittedAt: NOW.toISOString(), decisionDueAt: at(3).toISOString(), flaggedAt: at(3).toISOString() });
    expect(checkOf(events)).toMatchObject({ cause: 'scheduled', findings: [expect.objectContaining({ code: 'reauthorization_decision_overdue' })] });
  });

  test('decides nothing for an unknown or decided request', () => {
    const withRequest = requested.slice(0, 1).reduce(readinessDecider.evolve, state());
    expect(readinessDecider.decide(command('FlagDecisionOverdue', { requestId: 'r-unknown' }), withRequest)).toEqual([]);
    const decided = { ...withRequest, reauthorizations: withRequest.reauthorizations.map((r) => ({ ...r, status: 'denied' as const })) };
    expect(readinessDecider.decide(command('FlagDecisionOverdue', { requestId: 'r-1' }), decided)).toEqual([]);
  });
});
