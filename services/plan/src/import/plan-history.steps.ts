import { idOf } from '@golden-loop/http-api';
import type { ObjectiveMeasureInput } from '../domain/command-inputs';
import type { PlanCommandType } from '../domain/commands';
import type { ProblemLink } from '../domain/plan-content';
import type { MeasureDto, ProblemLinkDto } from '../features/change-draft/change-draft.request.dto';
import type { PlanUseCaseCommand } from '../plan-stream';
import type { ImportedPlanHistory, ImportedRevision } from './plan-history.dto';

/** The use case (command class of features/*) a step goes through on the CommandBus. */
export type ImportUseCase = 'OpenPlan' | 'ChangeDraft' | 'ProposeRevision' | 'SignRevision' | 'RecordAssessment' | 'ReportLifeEvent' | 'MarkMet' | 'ClosePlan';

/** One command of a history, as the API's controller would have built it from its request. */
export interface ImportStep {
  readonly useCase: ImportUseCase;
  readonly command: PlanUseCaseCommand<PlanCommandType>;
  /** When it happened (UTC, RFC 3339): the history is replayed in this order. */
  readonly at: string;
}

// Ties at one instant: the plan opens first, a revision's draft comes before what is judged against it, a
// signature after the scores of its session, the discharge last.
const RANK: Record<ImportUseCase, number> = {
  OpenPlan: 0,
  ProposeRevision: 1,
  ChangeDraft: 2,
  RecordAssessment: 3,
  ReportLifeEvent: 4,
  MarkMet: 5,
  SignRevision: 6,
  ClosePlan: 7,
};

const utc = (instant: string): string => new Date(instant).toISOString();

// The same mapping as ChangeDraftController's: a symptom or impairment id in any case, a diagnosis code as typed.
const linksOf = (addresses: readonly ProblemLinkDto[]): ProblemLink[] =>
  addresses.map(({ kind, id }) => ({ kind, id: kind === 'diagnosis' ? id : (idOf(id) ?? id) }));

const measureInput = (measure: MeasureDto | null | undefined): ObjectiveMeasureInput | null => {
  if (measure === undefined || measure === null) return null;
  return measure.kind === 'instrument'
    ? { kind: 'instrument', instrument: measure.instrument ?? '', baseline: measure.baseline, target: measure.target }
    : { kind: 'behavioural', description: measure.description ?? '', unit: measure.unit!, baseline: measure.baseline, target: measure.target };
};

const draftChanges = (revision: ImportedRevision): PlanUseCaseCommand<PlanCommandType>[] => [
  ...(revision.diagnoses ?? []).map((d) => ({ type: 'AddDiagnosis' as const, data: { code: d.code, description: d.description } })),
  ...(revision.symptoms ?? []).map((s) => ({ type: 'AddSymptom' as const, data: { symptomId: s.id, diagnosisCode: s.diagnosisCode, description: s.description } })),
  ...(revision.impairments ?? []).map((i) => ({ type: 'AddImpairment' as const, data: { impairmentId: i.id, diagnosisCode: i.diagnosisCode, description: i.description } })),
  ...(revision.service === undefined ? [] : [{ type: 'ChangeService' as const, data: { service: { ...revision.service, frequency: { ...revision.service.frequency } } } }]),
  ...(revision.goals ?? []).map((g) => ({
    type: 'AddGoal' as const,
    data: { goalId: g.goalId, clientGoal: g.clientGoal, clinicalGoal: g.clinicalGoal, addresses: linksOf(g.addresses) },
  })),
  ...(revision.objectives ?? []).map((o) => ({
    type: 'AddObjective' as const,
    data: { objectiveId: o.objectiveId, goalId: o.goalId, description: o.description, measure: measureInput(o.measure), targetDate: o.targetDate ?? null },
  })),
  ...(revision.interventions ?? []).map((i) => ({
    type: 'AddIntervention' as const,
    data: { interventionId: i.interventionId, objectiveId: i.objectiveId, modality: i.modality, description: i.description, frequency: { ...i.frequency } },
  })),
  ...(revision.discontinued ?? []).map((d) =>
    d.kind === 'goal'
      ? { type: 'DiscontinueGoal' as const, data: { goalId: d.id, reason: d.reason } }
      : d.kind === 'objective'
        ? { type: 'DiscontinueObjective' as const, data: { objectiveId: d.id, reason: d.reason } }
        : { type: 'DiscontinueIntervention' as const, data: { interventionId: d.id, reason: d.reason } },
  ),
];

/** When revision n's draft was opened: as given, else at its first signature (revision 1: when the plan opened). */
const draftedAt = (revision: ImportedRevision, openedAt: string): string => {
  if (revision.revision === 1) return openedAt;
  if (revision.proposedAt !== undefined) return utc(revision.proposedAt);
  return revision.signatures.map((s) => utc(s.signedAt!)).sort()[0];
};

/**
 * A history as the commands a clinic would have sent, in the order things happened (stable: ties keep the order of
 * the rank above, then of the line). The same line always gives the same steps, which is what resuming relies on.
 */
export const stepsOf = (history: ImportedPlanHistory): ImportStep[] => {
  const openedAt = utc(history.openedAt);
  const steps: ImportStep[] = [
    {
      useCase: 'OpenPlan',
      at: openedAt,
      command: {
        type: 'OpenPlan',
        data: {
          planId: history.planId,
          clientId: history.clientId,
          clinicianId: history.clinicianId,
          payerId: history.payerId ?? null,
          presentingProblem: history.presentingProblem,
          strengths: history.strengths,
          diagnoses: history.diagnoses.map(({ code, rank, description }) => ({ code, rank, description })),
          symptoms: history.symptoms.map((s) => ({ symptomId: s.id, diagnosisCode: s.diagnosisCode, description: s.description })),
          impairments: history.impairments.map((i) => ({ impairmentId: i.id, diagnosisCode: i.diagnosisCode, description: i.description })),
          service: { ...history.service, frequency: { ...history.service.frequency } },
          openedAt: history.openedAt,
        },
      },
    },
  ];
  for (const revision of history.revisions) {
    const at = draftedAt(revision, openedAt);
    if (revision.revision > 1) {
      const triggers = (revision.triggers ?? []).map(({ type, id }) => ({ type, id }));
      steps.push({ useCase: 'ProposeRevision', at, command: { type: 'ProposeRevision', data: { reason: revision.reason!, note: revision.note, triggers } } });
    }
    for (const command of draftChanges(revision)) steps.push({ useCase: 'ChangeDraft', at, command });
    for (const s of revision.signatures) {
      const data = { revision: revision.revision, signerRole: s.signerRole, signerId: s.signerId, method: s.method, signedAt: s.signedAt! };
      steps.push({ useCase: 'SignRevision', at: utc(s.signedAt!), command: { type: 'SignRevision', data } });
    }
  }
  for (const a of history.assessments ?? []) {
    const data = { assessmentId: a.assessmentId, instrument: a.instrument, items: a.items, declaredTotal: a.declaredTotal ?? null, administeredAt: a.administeredAt! };
    steps.push({ useCase: 'RecordAssessment', at: utc(a.administeredAt!), command: { type: 'RecordAssessment', data } });
  }
  for (const e of history.lifeEvents ?? []) {
    const occurred = e.occurredOn == null ? openedAt : `${e.occurredOn}T00:00:00.000Z`;
    const at = e.reportedAt === undefined ? (occurred > openedAt ? occurred : openedAt) : utc(e.reportedAt);
    const data = { lifeEventId: e.lifeEventId, category: e.category, impact: e.impact, occurredOn: e.occurredOn ?? null, description: e.description };
    steps.push({ useCase: 'ReportLifeEvent', at, command: { type: 'ReportLifeEvent', data } });
  }
  for (const m of history.met ?? []) {
    const command = m.kind === 'goal' ? { type: 'MarkGoalMet' as const, data: { goalId: m.id } } : { type: 'MarkObjectiveMet' as const, data: { objectiveId: m.id } };
    steps.push({ useCase: 'MarkMet', at: utc(m.metAt), command });
  }
  if (history.closed !== undefined) {
    steps.push({ useCase: 'ClosePlan', at: utc(history.closed.closedAt), command: { type: 'ClosePlan', data: { reason: history.closed.reason, note: history.closed.note } } });
  }
  return steps
    .map((step, order) => ({ step, order }))
    .sort((a, b) => (a.step.at < b.step.at ? -1 : a.step.at > b.step.at ? 1 : RANK[a.step.useCase] - RANK[b.step.useCase] || a.order - b.order))
    .map(({ step }) => step);
};
