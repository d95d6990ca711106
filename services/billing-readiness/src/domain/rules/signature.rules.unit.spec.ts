import type { PlanReadiness, ReviewTask } from '../state';
import { aCompliantPlan, daysFromNow, IDS } from '../testing/readiness-builders';
import { aRule, contextAt } from '../testing/rule-builders';
import { clinicalChangeAnswered, clinicianCredentials, planUpdateTaskNotOverdue, revisionSigned, signedPlanAfterVisits } from './signature.rules';

// Signatures, credentials and the loop (docs/clinical-rules.md, rules 1 and 6; LCD L33632; QualChoice BI273; docs/payer-rules.md).

const OTHER_CLINICIAN = 'a4e8c1f3-9d27-4b6a-b5e0-3c7d8f1a2b99';
const notInEffect = (overrides: Partial<PlanReadiness> = {}) => aCompliantPlan({ revisions: [], latestRevision: 0, ...overrides });
const signer = (signerId: string) => ({ signerId, signedAt: daysFromNow(-1) });
const signedBy = (signerId: string) => aCompliantPlan({ revisions: [{ ...aCompliantPlan().revisions[0], signatures: { client: signer(IDS.client), clinician: signer(signerId) } }] });

describe('revision-signed: a revision signed by client and clinician is in effect (docs/clinical-rules.md rule 1)', () => {
  const rule = aRule('revision-signed', {});

  test('holds once a revision is in effect', () => {
    expect(revisionSigned(rule, aCompliantPlan(), contextAt())).toEqual({ findings: [], boundaries: [] });
  });

  test('a plan nobody signed yet names both missing signatures of revision 1', () => {
    expect(revisionSigned(rule, notInEffect(), contextAt()).findings).toEqual([
      {
        code: 'revision_not_signed_by_client',
        rule: 'test.revision-signed',
        severity: 'error',
        evidence: { revision: 1, missingSignerRoles: ['client', 'clinician'] },
        fix: { code: 'obtain_client_signature' },
      },
      {
        code: 'revision_not_signed_by_clinician',
        rule: 'test.revision-signed',
        severity: 'error',
        evidence: { revision: 1, missingSignerRoles: ['client', 'clinician'] },
        fix: { code: 'obtain_clinician_signature' },
      },
    ]);
  });

  test('the newest revision heard of is the one to sign', () => {
    const plan = notInEffect({ latestRevision: 2, pendingSignatures: { 1: { clinician: signer(IDS.clinician) }, 2: { client: signer(IDS.client) } } });
    expect(revisionSigned(rule, plan, contextAt()).findings).toEqual([
      {
        code: 'revision_not_signed_by_clinician',
        rule: 'test.revision-signed',
        severity: 'error',
        evidence: { revision: 2, missingSignerRoles: ['clinician'] },
        fix: { code: 'obtain_clinician_signature' },
      },
    ]);
  });

  test('both signed but not yet in effect (PlanRevised not heard): revision_not_in_effect', () => {
    const plan = notInEffect({ latestRevision: 1, pendingSignatures: { 1: { client: signer(IDS.client), clinician: signer(IDS.clinician) } } });
    expect(revisionSigned(rule, plan, contextAt())).toEqual({
      findings: [{ code: 'revision_not_in_effect', rule: 'test.revision-signed', severity: 'error', evidence: { revision: 1 }, fix: { code: 'sign_plan_before_service' } }],
      boundaries: [],
    });
  });
});

describe('clinician-credentials: the clinician who signed the revision in effect holds an accepted credential (LCD L33632)', () => {
  const rule = aRule('clinician-credentials', { accepted: ['psychiatrist', 'clinical_psychologist'] });

  test('holds for an accepted credential, any one of the clinician\'s', () => {
    expect(clinicianCredentials(rule, aCompliantPlan(), contextAt())).toEqual({ findings: [], boundaries: [] });
    expect(clinicianCredentials(rule, aCompliantPlan(), contextAt(undefined, { [IDS.clinician]: ['lpc', 'clinical_psychologist'] })).findings).toEqual([]);
  });

  test('credentials never recorded, or none: clinician_credentials_missing', () => {
    const missing = [{ code: 'clinician_credentials_missing', rule: 'test.clinician-credentials', severity: 'error', evidence: { clinicianId: IDS.clinician }, fix: { code: 'record_clinician_credentials' } }];
    expect(clinicianCredentials(rule, aCompliantPlan(), contextAt(undefined, {})).findings).toEqual(missing);
    expect(clinicianCredentials(rule, aCompliantPlan(), contextAt(undefined, { [IDS.clinician]: [] })).findings).toEqual(missing);
  });

  test('none accepted: clinician_credentials_not_accepted, with the credentials held; a qualified clinician must sign', () => {
    expect(clinicianCredentials(rule, aCompliantPlan(), contextAt(undefined, { [IDS.clinician]: ['lpc', 'lmft'] })).findings).toEqual([
      {
        code: 'clinician_credentials_not_accepted',
        rule: 'test.clinician-credentials',
        severity: 'error',
        evidence: { clinicianId: IDS.clinician, credentials: ['lpc', 'lmft'] },
        fix: { code: 'obtain_qualified_signature' },
      },
    ]);
  });

  test("it is the signer's credentials that count, not the treating clinician's", () => {
    const credentials = { [IDS.clinician]: ['psychiatrist' as const], [OTHER_CLINICIAN]: ['lpc' as const] };
    expect(clinicianCredentials(rule, signedBy(OTHER_CLINICIAN), contextAt(undefined, credentials)).findings.map((f) => [f.code, f.evidence])).toEqual([
      ['clinician_credentials_not_accepted', { clinicianId: OTHER_CLINICIAN, credentials: ['lpc'] }],
    ]);
  });

  test('before a revision is in effect there is no signer to check', () => {
    expect(clinicianCredentials(rule, notInEffect(), contextAt(undefined, {}))).toEqual({ findings: [], boundaries: [] });
  });
});

describe('clinical-change-answered: no meaningful change left unanswered (the loop, docs/clinical-rules.md rule 6)', () => {
  const rule = aRule('clinical-change-answered', {});

  test('warns with the changes pending: clinical_change_not_reflected, revise the plan', () => {
    const plan = aCompliantPlan({
      pendingChanges: [
        { eventId: 'e-1', kind: 'symptoms_changed', occurredAt: daysFromNow(-2) },
        { eventId: 'e-2', kind: 'goal_met', occurredAt: daysFromNow(-1) },
      ],
    });
    expect(clinicalChangeAnswered(rule, plan, contextAt())).toEqual({
      findings: [{ code: 'clinical_change_not_reflected', rule: 'test.clinical-change-answered', severity: 'warning', evidence: { eventIds: ['e-1', 'e-2'] }, fix: { code: 'revise_plan' } }],
      boundaries: [],
    });
  });

  test('holds with none pending', () => {
    expect(clinicalChangeAnswered(rule, aCompliantPlan(), contextAt())).toEqual({ findings: [], boundaries: [] });
  });
});

describe('plan-update-task-not-overdue: no open plan-update task past due', () => {
  const rule = aRule('plan-update-task-not-overdue', {});
  const task = (taskId: string, status: ReviewTask['status'], dueAt: string): ReviewTask => ({ taskId, status, reasons: ['reliable_change'], triggeredBy: [], dueAt });

  test('fails while one is overdue, naming every overdue task and the earliest due time', () => {
    const plan = aCompliantPlan({
      tasks: [task('t-late', 'overdue', '2026-03-05T10:00:00.000Z'), task('t-open', 'open', '2026-03-01T10:00:00.000Z'), task('t-later', 'overdue', '2026-03-03T10:00:00.000Z')],
    });
    expect(planUpdateTaskNotOverdue(rule, plan, contextAt())).toEqual({
      findings: [
        {
          code: 'plan_update_overdue',
          rule: 'test.plan-update-task-not-overdue',
          severity: 'error',
          evidence: { taskIds: ['t-late', 't-later'], dueAt: '2026-03-03T10:00:00.000Z' },
          fix: { code: 'revise_plan' },
        },
      ],
      boundaries: [],
    });
  });

  test('holds while tasks are open or completed', () => {
    const plan = aCompliantPlan({ tasks: [task('t-open', 'open', '2026-03-01T10:00:00.000Z'), task('t-done', 'completed', '2026-03-01T10:00:00.000Z')] });
    expect(planUpdateTaskNotOverdue(rule, plan, contextAt())).toEqual({ findings: [], boundaries: [] });
  });
});

describe('signed-plan-after-visits: a signed plan from visit afterVisits (QualChoice BI273: utilization review after 15 visits)', () => {
  const rule = aRule('signed-plan-after-visits', { afterVisits: 15, warnVisits: 3 });
  const qualchoice = aRule('signed-plan-after-visits', { afterVisits: 15, warnVisits: 3, accepted: ['psychiatrist', 'psychiatric_aprn', 'primary_care_physician'] });
  const visits = (n: number) => Array.from({ length: n }, (_, i) => ({ sessionId: `s-${i}`, dateOfService: '2026-03-01', serviceCode: '90837', minutes: 55, authorizationId: null }));

  test('without a signed plan: warns from afterVisits - warnVisits, fails from afterVisits; sign the plan before the next visit', () => {
    expect(signedPlanAfterVisits(rule, notInEffect({ sessions: visits(11) }), contextAt())).toEqual({ findings: [], boundaries: [] });
    expect(signedPlanAfterVisits(rule, notInEffect({ sessions: visits(12) }), contextAt()).findings).toEqual([
      { code: 'signed_plan_due_by_visit_count', rule: 'test.signed-plan-after-visits', severity: 'warning', evidence: { visitCount: 12, visitLimit: 15 }, fix: { code: 'sign_plan_before_next_visit' } },
    ]);
    expect(signedPlanAfterVisits(rule, notInEffect({ sessions: visits(15) }), contextAt()).findings).toEqual([
      { code: 'signed_plan_required_after_visits', rule: 'test.signed-plan-after-visits', severity: 'error', evidence: { visitCount: 15, visitLimit: 15 }, fix: { code: 'sign_plan_before_next_visit' } },
    ]);
  });

  test('a plan signed by any clinician holds when the rule set names no accepted credentials', () => {
    expect(signedPlanAfterVisits(rule, aCompliantPlan({ sessions: visits(20) }), contextAt(undefined, {}))).toEqual({ findings: [], boundaries: [] });
  });

  test('with accepted credentials, a plan signed by a clinician holding none of them needs a qualified signature', () => {
    expect(signedPlanAfterVisits(qualchoice, aCompliantPlan({ sessions: visits(15) }), contextAt(undefined, { [IDS.clinician]: ['lpc', 'lcsw'] })).findings).toEqual([
      {
        code: 'signed_plan_required_after_visits',
        rule: 'test.signed-plan-after-visits',
        severity: 'error',
        evidence: { visitCount: 15, visitLimit: 15, clinicianId: IDS.clinician },
        fix: { code: 'obtain_qualified_signature' },
      },
    ]);
    expect(signedPlanAfterVisits(qualchoice, aCompliantPlan({ sessions: visits(13) }), contextAt(undefined, {})).findings).toEqual([
      expect.objectContaining({ code: 'signed_plan_due_by_visit_count', severity: 'warning', fix: { code: 'obtain_qualified_signature' } }),
    ]);
  });

  test('any one accepted credential qualifies the signer', () => {
    expect(signedPlanAfterVisits(qualchoice, aCompliantPlan({ sessions: visits(15) }), contextAt(undefined, { [IDS.clinician]: ['lpc', 'psychiatric_aprn'] })).findings).toEqual([]);
  });
});
