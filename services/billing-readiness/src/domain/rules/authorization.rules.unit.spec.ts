import type { Authorization, Reauthorization } from '../state';
import { aCompliantPlan, IDS } from '../testing/readiness-builders';
import { aRule, at, contextAt } from '../testing/rule-builders';
import { authorizationCapacity, authorizationOn, authorizationRequired } from './authorization.rules';

// Authorizations (docs/payer-rules.md, "Authorizations and sessions"): dates are UTC calendar dates, an authorization
// covers startsOn to endsOn inclusive and lapses at endsOn + 1 00:00 UTC. NOW is 2026-03-10T10:00Z; the compliant
// plan's authorization PA-1 covers 2026-02-08 to 2026-05-09 with 20 sessions, 2 used.

const base = aCompliantPlan().authorizations[0];
const anAuthorization = (overrides: Partial<Authorization>): Authorization => ({ ...base, ...overrides });
const OTHER_PAYER = 'f1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a99';

describe('authorization-required: an authorization of the plan\'s payer covers today', () => {
  const rule = aRule('authorization-required', {});

  test('holds while one covers today, and is re-checked when it lapses', () => {
    expect(authorizationRequired(rule, aCompliantPlan(), contextAt())).toEqual({ findings: [], boundaries: [at('2026-05-10T00:00:00.000Z')] });
  });

  test('an authorization covers its first and its last day, both included', () => {
    const startsToday = aCompliantPlan({ authorizations: [anAuthorization({ startsOn: '2026-03-10', endsOn: '2026-04-30' })] });
    expect(authorizationRequired(rule, startsToday, contextAt()).findings).toEqual([]);
    const endsToday = aCompliantPlan({ authorizations: [anAuthorization({ startsOn: '2026-02-01', endsOn: '2026-03-10' })] });
    expect(authorizationRequired(rule, endsToday, contextAt()).findings).toEqual([]);
    expect(authorizationRequired(rule, endsToday, contextAt('2026-03-10T23:59:59.999Z')).findings).toEqual([]);
  });

  test('none at all: authorization_missing, request one', () => {
    expect(authorizationRequired(rule, aCompliantPlan({ authorizations: [] }), contextAt())).toEqual({
      findings: [{ code: 'authorization_missing', rule: 'test.authorization-required', severity: 'error', evidence: {}, fix: { code: 'request_authorization' } }],
      boundaries: [],
    });
  });

  test("another payer's authorization does not count, and is no reason to re-check", () => {
    const plan = aCompliantPlan({ authorizations: [anAuthorization({ payerId: OTHER_PAYER })] });
    expect(authorizationRequired(rule, plan, contextAt())).toEqual({
      findings: [{ code: 'authorization_missing', rule: 'test.authorization-required', severity: 'error', evidence: {}, fix: { code: 'request_authorization' } }],
      boundaries: [],
    });
  });

  test('one that lapsed: authorization_expired, naming the one that lapsed last; request a re-authorization', () => {
    const plan = aCompliantPlan({
      authorizations: [
        anAuthorization({ authorizationId: 'a-old', startsOn: '2025-10-01', endsOn: '2025-12-31' }),
        anAuthorization({ authorizationId: 'a-last', startsOn: '2026-01-01', endsOn: '2026-03-09' }),
        anAuthorization({ authorizationId: 'a-older', startsOn: '2025-07-01', endsOn: '2025-09-30' }),
      ],
    });
    expect(authorizationRequired(rule, plan, contextAt())).toEqual({
      findings: [
        {
          code: 'authorization_expired',
          rule: 'test.authorization-required',
          severity: 'error',
          evidence: { authorizationId: 'a-last', authorizationEndsOn: '2026-03-09' },
          fix: { code: 'request_reauthorization' },
        },
      ],
      boundaries: [],
    });
  });

  test('one that starts later is not one that lapsed: missing until it starts, re-checked when it starts and when it lapses', () => {
    const plan = aCompliantPlan({ authorizations: [anAuthorization({ startsOn: '2026-03-15', endsOn: '2026-06-30' })] });
    expect(authorizationRequired(rule, plan, contextAt())).toEqual({
      findings: [expect.objectContaining({ code: 'authorization_missing' })],
      boundaries: [at('2026-03-15T00:00:00.000Z'), at('2026-07-01T00:00:00.000Z')],
    });
  });

  test('an authorization starting at the very instant of the check covers it, and is no boundary any more', () => {
    const plan = aCompliantPlan({ authorizations: [anAuthorization({ startsOn: '2026-03-10', endsOn: '2026-06-30' })] });
    expect(authorizationRequired(rule, plan, contextAt('2026-03-10T00:00:00.000Z'))).toEqual({ findings: [], boundaries: [at('2026-07-01T00:00:00.000Z')] });
  });

  test('a rule set may make it advisory: its failing finding is then a warning', () => {
    const advisory = aRule('authorization-required', {}, { severity: 'warning' });
    expect(authorizationRequired(advisory, aCompliantPlan({ authorizations: [] }), contextAt()).findings).toEqual([expect.objectContaining({ code: 'authorization_missing', severity: 'warning' })]);
  });
});

describe('the authorization covering a date', () => {
  const plan = aCompliantPlan({
    authorizations: [
      anAuthorization({ authorizationId: 'a-short', endsOn: '2026-03-31', serviceCodes: ['90837'] }),
      anAuthorization({ authorizationId: 'a-long', endsOn: '2026-06-30', serviceCodes: ['90834'] }),
      anAuthorization({ authorizationId: 'a-mid', endsOn: '2026-04-30', serviceCodes: ['90837'] }),
      anAuthorization({ authorizationId: 'a-other-payer', payerId: OTHER_PAYER, endsOn: '2026-12-31' }),
    ],
  });

  test("is the payer's one ending last, for the service when one is named", () => {
    expect(authorizationOn(plan, '2026-03-10')?.authorizationId).toBe('a-long');
    expect(authorizationOn(plan, '2026-03-10', '90837')?.authorizationId).toBe('a-mid');
    expect(authorizationOn(plan, '2026-05-15', '90837')).toBeNull();
    expect(authorizationOn(plan, '2026-02-07')).toBeNull();
  });
});

describe('authorization-capacity: sessions left and the end date (re-authorization due when few remain or the end nears)', () => {
  const rule = aRule('authorization-capacity', { lowSessions: 3, endingSoonDays: 14 });
  const sessions = (n: number, authorizationId: string = IDS.authorization) =>
    Array.from({ length: n }, (_, i) => ({ sessionId: `s-${i}`, dateOfService: '2026-03-01', serviceCode: '90837', minutes: 55, authorizationId }));
  const evidence = (used: number, remaining: number, overrides: object = {}) => ({
    authorizationId: IDS.authorization,
    sessionsAuthorized: 20,
    sessionsUsed: used,
    sessionsRemaining: remaining,
    authorizationEndsOn: '2026-05-09',
    ...overrides,
  });
  const warnFrom = at('2026-04-26T00:00:00.000Z');
  const lapsesAt = at('2026-05-10T00:00:00.000Z');

  test('holds with sessions to spare, re-checked when the end date comes near and when it lapses', () => {
    expect(authorizationCapacity(rule, aCompliantPlan(), contextAt())).toEqual({ findings: [], boundaries: [warnFrom, lapsesAt] });
  });

  test('only the sessions drawn from this authorization count', () => {
    const plan = aCompliantPlan({ sessions: [...sessions(16), ...sessions(4, 'another')] });
    expect(authorizationCapacity(rule, plan, contextAt()).findings).toEqual([]);
  });

  test('with the low threshold left it warns: authorization_sessions_low, request a re-authorization', () => {
    expect(authorizationCapacity(rule, aCompliantPlan({ sessions: sessions(17) }), contextAt())).toEqual({
      findings: [{ code: 'authorization_sessions_low', rule: 'test.authorization-capacity', severity: 'warning', evidence: evidence(17, 3), fix: { code: 'request_reauthorization' } }],
      boundaries: [warnFrom, lapsesAt],
    });
  });

  test('with none left it fails: authorization_sessions_exhausted', () => {
    expect(authorizationCapacity(rule, aCompliantPlan({ sessions: sessions(20) }), contextAt()).findings).toEqual([
      { code: 'authorization_sessions_exhausted', rule: 'test.authorization-capacity', severity: 'error', evidence: evidence(20, 0), fix: { code: 'request_reauthorization' } },
    ]);
  });

  test('from endingSoonDays before it lapses it warns: authorization_ending_soon, then re-checked when it lapses only', () => {
    expect(authorizationCapacity(rule, aCompliantPlan(), contextAt('2026-04-25T23:59:59.999Z')).findings).toEqual([]);
    expect(authorizationCapacity(rule, aCompliantPlan(), contextAt(warnFrom))).toEqual({
      findings: [{ code: 'authorization_ending_soon', rule: 'test.authorization-capacity', severity: 'warning', evidence: evidence(2, 18), fix: { code: 'request_reauthorization' } }],
      boundaries: [lapsesAt],
    });
  });

  describe('a re-authorization whose decision is overdue (CMS-0057-F)', () => {
    const request = (overrides: Partial<Reauthorization>): Reauthorization => ({
      requestId: 'r-1',
      payerId: IDS.payer,
      authorizationId: IDS.authorization,
      priority: 'standard',
      serviceCodes: ['90837'],
      sessionsRequested: 12,
      submittedAt: '2026-03-01T10:00:00.000Z',
      decisionDueAt: '2026-03-08T10:00:00.000Z',
      status: 'submitted',
      overdue: true,
      sessionsApproved: null,
      approvedAuthorizationId: null,
      decidedAt: null,
      ...overrides,
    });
    const overdueFinding = {
      code: 'reauthorization_decision_overdue',
      rule: 'test.authorization-capacity',
      severity: 'warning',
      evidence: { requestId: 'r-1', decisionDueAt: '2026-03-08T10:00:00.000Z' },
      fix: { code: 'follow_up_with_payer' },
    };

    test('warns while the payer has not decided: follow up with the payer', () => {
      expect(authorizationCapacity(rule, aCompliantPlan({ reauthorizations: [request({})] }), contextAt())).toEqual({ findings: [overdueFinding], boundaries: [warnFrom, lapsesAt] });
    });

    test('also when no authorization covers today, with nothing to re-check', () => {
      expect(authorizationCapacity(rule, aCompliantPlan({ authorizations: [], reauthorizations: [request({})] }), contextAt())).toEqual({ findings: [overdueFinding], boundaries: [] });
    });

    test('not once decided, nor before it is overdue', () => {
      const plan = aCompliantPlan({ authorizations: [], reauthorizations: [request({ status: 'approved' }), request({ requestId: 'r-2', overdue: false })] });
      expect(authorizationCapacity(rule, plan, contextAt())).toEqual({ findings: [], boundaries: [] });
    });

    test('comes first, before what the authorization in effect says', () => {
      const plan = aCompliantPlan({ sessions: sessions(20), reauthorizations: [request({})] });
      expect(authorizationCapacity(rule, plan, contextAt()).findings.map((f) => f.code)).toEqual(['reauthorization_decision_overdue', 'authorization_sessions_exhausted']);
    });
  });
});
