import type {
  AddGoalInput,
  AddInterventionInput,
  AddObjectiveInput,
  OpenPlanInput,
  PlanCommandInput,
  ProposeRevisionInput,
  RecordAssessmentInput,
  SignRevisionInput,
} from '../command-inputs';
import type { CommandMetadata } from '../commands';
import type { PlanEvent } from '../events';
import type { SignerRole } from '../plan-content';
import { decideInput, stateAfter } from './given';

// Test data builders (docs/service-kit.md, "Tests"): a plan is built by running commands through the decider itself
// (parsed as the edge parses them), so every given history is one the aggregate could really have produced.

export const PLAN_ID = 'plan-1';
export const CLIENT_ID = 'client-1';
export const CLINICIAN_ID = 'clinician-1';
export const PAYER_ID = 'payer-1';

const START = Date.parse('2025-03-03T09:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
export const day = (n: number): string => new Date(START + n * DAY_MS).toISOString();
export const week = (n: number): string => day(7 * n);

const metadata = (at: string, userId = CLINICIAN_ID): CommandMetadata => ({ now: at, userId });

/** Any command, with the clinician acting at the given time. */
export const command = <C extends PlanCommandInput>(type: C['type'], data: C['data'], at = day(0), userId = CLINICIAN_ID): C =>
  ({ type, data, metadata: metadata(at, userId) }) as C;

export const openPlanData: OpenPlanInput['data'] = {
  planId: PLAN_ID,
  clientId: CLIENT_ID,
  clinicianId: CLINICIAN_ID,
  payerId: PAYER_ID,
  presentingProblem: 'Low mood and worry since a redundancy in January; not leaving the house most days.',
  strengths: ['Close to her sister', 'Has kept walking the dog'],
  diagnoses: [
    { code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' },
    { code: 'F41.1', rank: 'secondary' },
  ],
  symptoms: [
    { symptomId: 'sx-low-mood', diagnosisCode: 'F32.1', description: 'Low mood most of the day, nearly every day' },
    { symptomId: 'sx-worry', diagnosisCode: 'F41.1', description: 'Worry about money she cannot stop' },
  ],
  impairments: [{ impairmentId: 'im-home', diagnosisCode: 'F32.1', description: 'Leaves the house one day a week or less' }],
  service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
};

export const openPlan = (data: Partial<OpenPlanInput['data']> = {}, at = day(0)): OpenPlanInput =>
  command<OpenPlanInput>('OpenPlan', { ...openPlanData, ...data }, at);

export const addGoal = (data: Partial<AddGoalInput['data']> = {}, at = day(0)): AddGoalInput =>
  command<AddGoalInput>(
    'AddGoal',
    {
      goalId: 'g-1',
      clientGoal: 'I want to get out of the house and see my friends again',
      clinicalGoal: 'Reduce depressive symptoms and restore social functioning through behavioural activation',
      addresses: [
        { kind: 'symptom', id: 'sx-low-mood' },
        { kind: 'impairment', id: 'im-home' },
      ],
      ...data,
    },
    at,
  );

export const addObjective = (data: Partial<AddObjectiveInput['data']> = {}, at = day(0)): AddObjectiveInput =>
  command<AddObjectiveInput>(
    'AddObjective',
    {
      objectiveId: 'o-1',
      goalId: 'g-1',
      description: 'PHQ-9 below 10 by June',
      measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 16, target: 9 },
      targetDate: '2025-06-02',
      ...data,
    },
    at,
  );

export const addIntervention = (data: Partial<AddInterventionInput['data']> = {}, at = day(0)): AddInterventionInput =>
  command<AddInterventionInput>(
    'AddIntervention',
    { interventionId: 'i-1', objectiveId: 'o-1', modality: 'behavioural_activation', frequency: { count: 1, per: 'week' }, ...data },
    at,
  );

export const sign = (
  signerRole: SignerRole,
  revision = 1,
  at = day(0),
  method: SignRevisionInput['data']['method'] = 'electronic',
): SignRevisionInput =>
  command<SignRevisionInput>(
    'SignRevision',
    { revision, signerRole, signerId: signerRole === 'client' ? CLIENT_ID : CLINICIAN_ID, method },
    at,
  );

export const proposeRevision = (data: Partial<ProposeRevisionInput['data']> = {}, at = day(0)): ProposeRevisionInput =>
  command<ProposeRevisionInput>('ProposeRevision', { reason: 'clinical_judgement', triggers: [], ...data }, at);

/** PHQ-9 responses with the given total; item 9 set apart (its points count towards the total). */
export const phq9 = (total: number, item9 = 0): number[] => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let rest = total - item9;
  for (let index = 0; index < 8 && rest > 0; index++) {
    items[index] = Math.min(3, rest);
    rest -= items[index];
  }
  return items;
};

export const gad7 = (total: number): number[] => {
  const items = [0, 0, 0, 0, 0, 0, 0];
  let rest = total;
  for (let index = 0; index < 7 && rest > 0; index++) {
    items[index] = Math.min(3, rest);
    rest -= items[index];
  }
  return items;
};

export const recordAssessment = (
  assessmentId: string,
  instrument: string,
  items: readonly number[],
  at = day(0),
  declaredTotal?: number,
  administeredAt?: string,
): RecordAssessmentInput =>
  command<RecordAssessmentInput>(
    'RecordAssessment',
    {
      assessmentId,
      instrument,
      items,
      ...(declaredTotal === undefined ? {} : { declaredTotal }),
      ...(administeredAt === undefined ? {} : { administeredAt }),
    },
    at,
  );

/** An assessment administered at `administeredAt` and entered at `at` (later, for a score entered late). */
export const recordAssessmentGiven = (
  assessmentId: string,
  instrument: string,
  items: readonly number[],
  administeredAt: string,
  at = administeredAt,
): RecordAssessmentInput => recordAssessment(assessmentId, instrument, items, at, undefined, administeredAt);

/** A history built by running commands: aPlan().opened().withGoal().signed().events */
export class PlanStory {
  constructor(readonly events: readonly PlanEvent[] = []) {}

  run(...commands: PlanCommandInput[]): PlanStory {
    return commands.reduce<PlanStory>(
      (story, next) => new PlanStory([...story.events, ...decideInput(next, stateAfter(story.events))]),
      this,
    );
  }

  opened(data: Partial<OpenPlanInput['data']> = {}, at = day(0)): PlanStory {
    return this.run(openPlan(data, at));
  }

  withGoal(data: Partial<AddGoalInput['data']> = {}, at = day(0)): PlanStory {
    return this.run(addGoal(data, at));
  }

  withObjective(data: Partial<AddObjectiveInput['data']> = {}, at = day(0)): PlanStory {
    return this.run(addObjective(data, at));
  }

  withIntervention(data: Partial<AddInterventionInput['data']> = {}, at = day(0)): PlanStory {
    return this.run(addIntervention(data, at));
  }

  signedByBoth(revision = 1, at = day(0)): PlanStory {
    return this.run(sign('client', revision, at), sign('clinician', revision, at));
  }

  /** Opened with one goal, objective and intervention, revision 1 signed by both: the plan is in effect. */
  inEffect(at = day(0)): PlanStory {
    return this.opened({}, at).withGoal({}, at).withObjective({}, at).withIntervention({}, at).signedByBoth(1, at);
  }

  revising(data: Partial<ProposeRevisionInput['data']> = {}, at = day(0)): PlanStory {
    return this.run(proposeRevision(data, at));
  }

  assessed(assessmentId: string, instrument: string, items: readonly number[], at = day(0)): PlanStory {
    return this.run(recordAssessment(assessmentId, instrument, items, at));
  }

  /** An assessment administered at `administeredAt`, entered at `at`. */
  assessedGiven(assessmentId: string, instrument: string, items: readonly number[], administeredAt: string, at = administeredAt): PlanStory {
    return this.run(recordAssessmentGiven(assessmentId, instrument, items, administeredAt, at));
  }
}

export const aPlan = (): PlanStory => new PlanStory();
