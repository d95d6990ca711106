import type { PlanCommandInput, SignRevisionInput } from './command-inputs';
import { DateOutOfRange, FieldInvalid } from './errors';
import { given } from './testing/given';
import {
  aPlan,
  CLIENT_ID,
  command,
  day,
  openPlan,
  phq9,
  recordAssessmentGiven,
  week,
} from './testing/plan-builders';

// Dates that come from the clinic, not the server clock (docs/clinical-dates.md).

const MINUTE_MS = 60_000;
const plus = (at: string, milliseconds: number): string => new Date(Date.parse(at) + milliseconds).toISOString();

const signGiven = (signerRole: 'client' | 'clinician', signedAt: string | undefined, at: string): SignRevisionInput =>
  command<SignRevisionInput>(
    'SignRevision',
    {
      revision: 1,
      signerRole,
      signerId: signerRole === 'client' ? CLIENT_ID : 'clinician-1',
      method: 'wet_ink_scanned',
      ...(signedAt === undefined ? {} : { signedAt }),
    },
    at,
  );

describe('when treatment started (openedAt)', () => {
  test('a given start is the plan’s opening, kept in UTC', () => {
    const [opened] = given([]).when(openPlan({ openedAt: '2025-02-24T10:30:00+01:00' }, day(0))).thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ openedAt: '2025-02-24T09:30:00.000Z' });
  });

  test('without one, the plan opens now', () => {
    const [opened] = given([]).when(openPlan({}, day(3))).thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ openedAt: day(3) });
  });

  test('up to five minutes ahead of the service’s clock is a fast clock, taken as now', () => {
    const [opened] = given([]).when(openPlan({ openedAt: plus(day(0), 5 * MINUTE_MS) }, day(0))).thenTypes(['PlanOpened']);
    expect(opened.data).toMatchObject({ openedAt: day(0) });
  });

  test('further ahead is in the future: refused on openedAt with the reason', () => {
    given([])
      .when(openPlan({ openedAt: plus(day(0), 5 * MINUTE_MS + 1) }, day(0)))
      .thenThrows(DateOutOfRange, {
        code: 'date_out_of_range',
        field: 'openedAt',
        message: `The start of treatment (${plus(day(0), 5 * MINUTE_MS + 1)}) is in the future; it can be at most 5 minutes ahead of the service's clock (${day(0)}).`,
      });
  });

  test('at most ten years back', () => {
    const tenYears = '2015-03-03T09:00:00.000Z';
    expect(day(0)).toBe('2025-03-03T09:00:00.000Z');
    given([]).when(openPlan({ openedAt: tenYears }, day(0))).thenTypes(['PlanOpened']);
    given([])
      .when(openPlan({ openedAt: plus(tenYears, -1) }, day(0)))
      .thenThrows(DateOutOfRange, {
        field: 'openedAt',
        message: `The start of treatment (2015-03-03T08:59:59.999Z) is more than 10 years ago; the earliest is ${tenYears}.`,
      });
  });

  test.each([
    ['words', 'last Tuesday'],
    ['a number, even one Date would read as a year', 2025 as unknown as string],
  ])('%s: refused naming the field', (_, openedAt) => {
    given([])
      .when(openPlan({ openedAt }))
      .thenThrows(FieldInvalid, {
        code: 'field_invalid',
        field: 'openedAt',
        message: 'The start of treatment must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z.',
      });
  });
});

describe('when an assessment was administered (administeredAt)', () => {
  const opened = aPlan().inEffect(day(0));

  test('the given time is the assessment’s; a change it shows is recorded now', () => {
    const eight = opened.assessedGiven('a-1', 'PHQ-9', phq9(8), day(1), day(1));
    const [recorded, changed] = given(eight.events)
      .when(recordAssessmentGiven('a-2', 'PHQ-9', phq9(16), '2025-03-10T08:00:00-05:00', day(9)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(recorded.data).toMatchObject({ assessedAt: '2025-03-10T13:00:00.000Z' });
    expect(changed.data).toMatchObject({ previousAssessmentId: 'a-1', occurredAt: day(9) });
  });

  test.each([
    ['before the plan opened', plus(day(0), -1), `The time the assessment was administered (${plus(day(0), -1)}) is before the plan opened (${day(0)}): the plan records one treatment, from its start (openedAt, given when the plan is opened).`],
    ['in the future', plus(day(2), 5 * MINUTE_MS + 1), `The time the assessment was administered (${plus(day(2), 5 * MINUTE_MS + 1)}) is in the future; it can be at most 5 minutes ahead of the service's clock (${day(2)}).`],
  ])('%s: refused on administeredAt, nothing recorded', (_, administeredAt, message) => {
    given(opened.events)
      .when(recordAssessmentGiven('a-1', 'PHQ-9', phq9(8), administeredAt, day(2)))
      .thenThrows(DateOutOfRange, { code: 'date_out_of_range', field: 'administeredAt', message });
  });

  test('at the moment the plan opened is accepted', () => {
    given(opened.events).when(recordAssessmentGiven('a-1', 'PHQ-9', phq9(8), day(0), day(2))).thenTypes(['AssessmentRecorded']);
  });

  test('a baseline taken at intake and entered later is the baseline the next score is compared with', () => {
    const intake = aPlan()
      .opened({ openedAt: week(0) }, week(1))
      .assessedGiven('a-1', 'PHQ-9', phq9(8), week(0), week(1));
    const [, changed] = given(intake.events)
      .when(recordAssessmentGiven('a-2', 'PHQ-9', phq9(16), week(2)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ previousAssessmentId: 'a-1', previousScore: 8, direction: 'worsened' });
  });
});

describe('a score entered late (docs/clinical-dates.md)', () => {
  // 8 on day 1 and 9 on day 15 were recorded on time; a score from day 8 is entered on day 16.
  const twoScores = aPlan().inEffect(day(0)).assessedGiven('a-1', 'PHQ-9', phq9(8), day(1)).assessedGiven('a-3', 'PHQ-9', phq9(9), day(15));

  test('is compared with the score administered before it, and nothing is said about the later one', () => {
    given(twoScores.events)
      .when(recordAssessmentGiven('a-2', 'PHQ-9', phq9(16), day(8), day(16)))
      .then([
        {
          type: 'AssessmentRecorded',
          data: {
            planId: 'plan-1',
            assessmentId: 'a-2',
            instrument: 'PHQ-9',
            loinc: '44261-6',
            items: phq9(16),
            total: 16,
            band: 'moderately_severe',
            safetyFlag: false,
            assessedAt: day(8),
            by: 'clinician-1',
          },
        },
        {
          type: 'SymptomsChanged',
          data: {
            planId: 'plan-1',
            assessmentId: 'a-2',
            previousAssessmentId: 'a-1',
            instrument: 'PHQ-9',
            loinc: '44261-6',
            previousScore: 8,
            newScore: 16,
            previousBand: 'mild',
            newBand: 'moderately_severe',
            direction: 'worsened',
            reasons: ['reliable_change', 'band_change'],
            urgency: 'routine',
            occurredAt: day(16),
          },
        },
      ]);
  });

  test('close to the score before it is noise, however far it is from the later one', () => {
    given(twoScores.events).when(recordAssessmentGiven('a-2', 'PHQ-9', phq9(9), day(8), day(16))).thenTypes(['AssessmentRecorded']);
  });

  test('before every recorded score it is the baseline: a safety flag there has no previous score', () => {
    const [, changed] = given(twoScores.events)
      .when(recordAssessmentGiven('a-0', 'PHQ-9', phq9(9, 1), day(0), day(16)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ previousAssessmentId: null, previousScore: null, direction: null, reasons: ['safety_flag'], urgency: 'urgent' });
  });

  test('the next score is compared with the latest administered, not with the last entered', () => {
    const withLate = twoScores.assessedGiven('a-2', 'PHQ-9', phq9(16), day(8), day(16));
    const [, changed] = given(withLate.events)
      .when(recordAssessmentGiven('a-4', 'PHQ-9', phq9(16), day(22)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ previousAssessmentId: 'a-3', previousScore: 9 });
  });

  test('given at the same time as a recorded score, it comes after it', () => {
    const [, changed] = given(twoScores.events)
      .when(recordAssessmentGiven('a-4', 'PHQ-9', phq9(16), day(15), day(16)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ previousAssessmentId: 'a-3' });
  });

  test('given at the same time as the latest score, it is the latest: the course rules are judged on it', () => {
    const responded = aPlan().inEffect(week(0)).assessedGiven('a-1', 'PHQ-9', phq9(18), week(0)).assessedGiven('a-2', 'PHQ-9', phq9(8), week(9));
    const [, changed] = given(responded.events)
      .when(recordAssessmentGiven('a-3', 'PHQ-9', phq9(17), week(9), week(10)))
      .thenTypes(['AssessmentRecorded', 'SymptomsChanged']);
    expect(changed.data).toMatchObject({ previousAssessmentId: 'a-2', reasons: ['reliable_change', 'band_change', 'non_response'] });
  });

  test('does not report non-response again: the later score already told it', () => {
    const nonResponding = aPlan().inEffect(week(0)).assessedGiven('a-1', 'PHQ-9', phq9(18), week(0)).assessedGiven('a-3', 'PHQ-9', phq9(16), week(10));
    expect(nonResponding.events.at(-1)).toMatchObject({ type: 'SymptomsChanged', data: { reasons: ['non_response'] } });
    given(nonResponding.events).when(recordAssessmentGiven('a-2', 'PHQ-9', phq9(17), week(9), week(10))).thenTypes(['AssessmentRecorded']);
  });
});

describe('when a signature was given (signedAt)', () => {
  const drafted = aPlan().opened({}, day(0)).withGoal({}, day(0)).withObjective({}, day(0)).withIntervention({}, day(0));

  test('a given time is the attestation’s, and both signatures put the revision in effect', () => {
    const clientSigned = drafted.run(signGiven('client', day(1), day(3)));
    expect(clientSigned.events.at(-1)).toMatchObject({ type: 'PlanSigned', data: { signerRole: 'client', signedAt: day(1) } });
    const [, revised] = given(clientSigned.events)
      .when(signGiven('clinician', undefined, day(3)))
      .thenTypes(['PlanSigned', 'PlanRevised']);
    expect(revised.data).toMatchObject({
      attestations: [expect.objectContaining({ signerRole: 'client', signedAt: day(1) }), expect.objectContaining({ signerRole: 'clinician', signedAt: day(3) })],
      revisedAt: day(3),
    });
  });

  test.each([
    ['before the plan opened', plus(day(0), -1), 'is before the plan opened'],
    ['in the future', plus(day(3), 5 * MINUTE_MS + 1), 'is in the future'],
  ])('%s: refused on signedAt', (_, signedAt, reason) => {
    const error = given(drafted.events).when(signGiven('client', signedAt, day(3))).thenThrows(DateOutOfRange, { code: 'date_out_of_range', field: 'signedAt' });
    expect(error.message).toContain(`The signature (${signedAt}) ${reason}`);
  });
});

describe('a time the clinic gives that is no RFC 3339 instant', () => {
  test.each<[string, () => PlanCommandInput, string]>([
    ['administeredAt', () => recordAssessmentGiven('a-1', 'PHQ-9', phq9(8), 'last Tuesday', day(1)), 'The time the assessment was administered'],
    ['signedAt', () => signGiven('client', 'in session', day(1)), 'The signature'],
  ])('%s: refused naming the field, and what the time is', (field, next, what) => {
    const history = aPlan().opened({}, day(0)).withGoal({}, day(0)).withObjective({}, day(0)).withIntervention({}, day(0)).events;
    given(history)
      .when(next())
      .thenThrows(FieldInvalid, { code: 'field_invalid', field, message: `${what} must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z.` });
  });
});
