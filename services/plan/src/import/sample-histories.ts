// Synthetic plan histories for trying and measuring the importer (docs/import.md). Codes, numbers and dates only,
// and placeholder text the plan API accepts: no free text about anyone.

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface SampleOptions {
  readonly plans: number;
  /** Weeks of treatment per plan, drawn between these (default 12 and 156: three months to three years). */
  readonly minWeeks?: number;
  readonly maxWeeks?: number;
  /** Same seed, same file (default 1). */
  readonly seed?: number;
  /** The histories end before this instant (default: a day before now). */
  readonly until?: number;
}

/** mulberry32: small, fast and good enough for test data. */
const randomSource = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

type Random = ReturnType<typeof randomSource>;

const uuidOf = (random: Random): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};

const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const clamp = (value: number, min: number, max: number): number => Math.max(min, Math.min(max, value));
const iso = (ms: number): string => new Date(ms).toISOString();
const day = (ms: number): string => iso(ms).slice(0, 10);

/** Item responses 0-3 that add up to `total`, spread at random over the scored items; PHQ-9 item 9 as given. */
const itemsFor = (random: Random, count: number, total: number, lastItem?: number): number[] => {
  const items = new Array<number>(count).fill(0);
  const free = lastItem === undefined ? count : count - 1;
  if (lastItem !== undefined) items[count - 1] = lastItem;
  for (let left = clamp(total - (lastItem ?? 0), 0, free * 3); left > 0; left -= 1) {
    const open = items.map((value, index) => (index < free && value < 3 ? index : -1)).filter((index) => index >= 0);
    items[open[Math.floor(random() * open.length)]] += 1;
  }
  return items;
};

const PRIMARY = [
  { code: 'F32.1', description: 'Major depressive disorder, single episode, moderate', instrument: 'PHQ-9' },
  { code: 'F33.1', description: 'Major depressive disorder, recurrent, moderate', instrument: 'PHQ-9' },
  { code: 'F41.1', description: 'Generalized anxiety disorder', instrument: 'GAD-7' },
] as const;
const MODALITIES = ['cbt', 'behavioural_activation', 'act', 'ipt', 'problem_solving', 'mindfulness_based'] as const;

/** A score's course: from a baseline it falls towards a floor (a responder) or stays near it, with noise. */
const courseOf = (random: Random, max: number) => {
  const baseline = between(random, Math.round(max * 0.5), Math.round(max * 0.8));
  const responder = random() < 0.75;
  const floor = responder ? between(random, 2, Math.round(max * 0.3)) : baseline - between(random, 0, 2);
  const pace = 0.08 + random() * 0.15;
  return (week: number): number => clamp(Math.round(floor + (baseline - floor) * Math.exp(-pace * week) + (random() * 4 - 2)), 0, max);
};

const sampleHistory = (random: Random, index: number, options: Required<Omit<SampleOptions, 'plans'>>, clinicians: readonly string[], payers: readonly string[]) => {
  const weeks = between(random, options.minWeeks, options.maxWeeks);
  const end = options.until - between(random, 1, 60) * DAY_MS;
  const openedMs = end - weeks * WEEK_MS;
  const primary = PRIMARY[index % PRIMARY.length];
  const anxious = primary.code === 'F41.1' || random() < 0.3;
  const clientId = uuidOf(random);
  const clinicianId = clinicians[Math.floor(random() * clinicians.length)];
  const diagnoses: { code: string; rank: string; description: string }[] = [{ code: primary.code, rank: 'primary', description: primary.description }];
  if (anxious && primary.code !== 'F41.1') diagnoses.push({ code: 'F41.1', rank: 'secondary', description: 'Generalized anxiety disorder' });
  const symptomId = uuidOf(random);
  const impairmentId = uuidOf(random);
  const goalId = uuidOf(random);
  const objectiveId = uuidOf(random);
  const phq = courseOf(random, 27);
  const gad = courseOf(random, 21);
  const scoreOn = primary.instrument === 'PHQ-9' ? phq : gad;
  const baseline = scoreOn(0);
  const target = Math.min(baseline - 1, primary.instrument === 'PHQ-9' ? 9 : 7);
  const signedDays = between(random, 0, 7);
  const signatures = (atMs: number) => [
    { signerRole: 'client', signerId: clientId, method: 'wet_ink_scanned', signedAt: iso(atMs) },
    { signerRole: 'clinician', signerId: clinicianId, method: 'electronic', signedAt: iso(atMs + between(random, 5, 90) * 60_000) },
  ];
  const revisions: Record<string, unknown>[] = [
    {
      revision: 1,
      goals: [
        {
          goalId,
          clientGoal: `Client goal G-${index + 1} (placeholder)`,
          clinicalGoal: `Reduce symptoms of ${primary.code} (placeholder)`,
          addresses: [{ kind: 'diagnosis', id: primary.code }, { kind: 'symptom', id: symptomId }],
        },
      ],
      objectives: [
        {
          objectiveId,
          goalId,
          description: `${primary.instrument} at or below ${target} (placeholder)`,
          measure: { kind: 'instrument', instrument: primary.instrument, baseline: Math.max(baseline, target + 1), target },
          targetDate: day(openedMs + 26 * WEEK_MS),
        },
      ],
      interventions: [
        { interventionId: uuidOf(random), objectiveId, modality: MODALITIES[index % MODALITIES.length], description: 'Weekly session (placeholder)', frequency: { count: 1, per: 'week' } },
      ],
      signatures: signatures(openedMs + signedDays * DAY_MS + 3_600_000),
    },
  ];
  const lifeEvents: Record<string, unknown>[] = [];
  let pending: { type: string; id: string; reportedAt: string }[] = [];
  if (weeks >= 6 && random() < 0.2) {
    const at = openedMs + between(random, 3, weeks - 2) * WEEK_MS;
    const lifeEventId = uuidOf(random);
    lifeEvents.push({ lifeEventId, category: 'employment_change', impact: 'moderate', occurredOn: day(at - DAY_MS), description: 'Life event (placeholder)', reportedAt: iso(at) });
    pending.push({ type: 'LifeEventReported', id: lifeEventId, reportedAt: iso(at) });
  }
  // A review about every 90 days after the first signature, signed in session by both.
  for (let atMs = openedMs + (signedDays + between(random, 84, 98)) * DAY_MS; atMs < end - DAY_MS; atMs += between(random, 84, 98) * DAY_MS) {
    const triggers = pending.filter((trigger) => trigger.reportedAt < iso(atMs)).map(({ type, id }) => ({ type, id }));
    pending = pending.filter((trigger) => trigger.reportedAt >= iso(atMs));
    revisions.push({
      revision: revisions.length + 1,
      reason: triggers.length > 0 ? 'life_event' : 'scheduled_review',
      note: 'Scheduled review (placeholder)',
      triggers,
      proposedAt: iso(atMs),
      signatures: signatures(atMs + 3_600_000),
    });
  }
  const assessments: Record<string, unknown>[] = [];
  for (let week = 0; week < weeks; week += 1) {
    const at = openedMs + week * WEEK_MS + 1_800_000;
    const item9 = random() < 0.02 ? 1 : 0;
    assessments.push({ assessmentId: uuidOf(random), instrument: 'PHQ-9', items: itemsFor(random, 9, phq(week), item9), administeredAt: iso(at) });
    if (anxious) assessments.push({ assessmentId: uuidOf(random), instrument: 'GAD-7', items: itemsFor(random, 7, gad(week)), administeredAt: iso(at + 60_000) });
  }
  const history: Record<string, unknown> = {
    planId: uuidOf(random),
    clientId,
    clinicianId,
    payerId: random() < 0.85 ? payers[Math.floor(random() * payers.length)] : null,
    openedAt: iso(openedMs),
    presentingProblem: `Presenting problem P-${index + 1} (placeholder)`,
    strengths: ['Strength S-1 (placeholder)'],
    diagnoses,
    symptoms: [{ id: symptomId, diagnosisCode: primary.code, description: 'Symptom (placeholder)' }],
    impairments: [{ id: impairmentId, diagnosisCode: primary.code, description: 'Functional impairment (placeholder)' }],
    service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: clamp(weeks, 1, 520) },
    revisions,
    assessments,
    lifeEvents,
  };
  if (scoreOn(weeks) <= target && random() < 0.5) history.met = [{ kind: 'objective', id: objectiveId, metAt: iso(end - DAY_MS) }];
  if (random() < 0.3) history.closed = { reason: 'treatment_completed', note: 'Discharge (placeholder)', closedAt: iso(end) };
  return history;
};

/** `plans` histories, one JSON text each (an NDJSON line without its line break). */
export function* sampleHistories(options: SampleOptions): Generator<string> {
  const random = randomSource(options.seed ?? 1);
  const settings = {
    minWeeks: options.minWeeks ?? 12,
    maxWeeks: Math.max(options.minWeeks ?? 12, options.maxWeeks ?? 156),
    seed: options.seed ?? 1,
    until: options.until ?? Date.now() - DAY_MS,
  };
  const clinicians = Array.from({ length: Math.max(1, Math.ceil(options.plans / 40)) }, () => uuidOf(random));
  const payers = Array.from({ length: 6 }, () => uuidOf(random));
  for (let index = 0; index < options.plans; index += 1) yield JSON.stringify(sampleHistory(random, index, settings, clinicians, payers));
}
