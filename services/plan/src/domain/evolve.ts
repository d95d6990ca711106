import type { PlanEvent } from './events';
import { noChanges, recordChange, type IdChanges, type PlanContent, type RevisionChanges, type TriggerType } from './plan-content';
import { positionInSeries, type OpenedPlan, type TreatmentPlan, type TriggerRecord } from './plan-state';

// Applies one stored event to a plan's state. A change event edits the draft revision and its change summary; a
// fact (a goal or objective met, an assessment, a life event) is recorded on the plan and becomes a trigger.

const replace = <T>(items: readonly T[], matches: (item: T) => boolean, update: (item: T) => T): T[] =>
  items.map((item) => (matches(item) ? update(item) : item));

type ChangeArea = Exclude<keyof RevisionChanges, 'service'>;

const changeDraft = (
  plan: OpenedPlan,
  updateContent: (content: PlanContent) => PlanContent,
  ...summary: readonly [area: ChangeArea, kind: keyof IdChanges, id: string][]
): OpenedPlan => {
  // Stryker disable next-line ConditionalExpression: every change event is decided inside an open draft (openDraft), so it never meets a plan without one
  if (!plan.draft) return plan;
  const changes = summary.reduce<RevisionChanges>(
    (acc, [area, kind, id]) => ({ ...acc, [area]: recordChange(acc[area], kind, id) }),
    plan.draft.changes,
  );
  return { ...plan, draft: { ...plan.draft, content: updateContent(plan.draft.content), changes } };
};

/** Applies a status change to a goal or objective wherever it is: in the plan in effect and in the draft. */
const everywhere = (plan: OpenedPlan, update: (content: PlanContent) => PlanContent): OpenedPlan => ({
  ...plan,
  inEffect: plan.inEffect && update(plan.inEffect),
  draft: plan.draft && { ...plan.draft, content: update(plan.draft.content) },
});

const addTrigger = (plan: OpenedPlan, type: TriggerType, id: string, occurredAt: string): OpenedPlan => ({
  ...plan,
  triggers: [...plan.triggers, { type, id, occurredAt, answeredInRevision: null }],
});

export const evolve = (state: TreatmentPlan, event: PlanEvent): TreatmentPlan => {
  if (event.type === 'PlanOpened') {
    const { data } = event;
    const content: PlanContent = {
      presentingProblem: data.presentingProblem,
      strengths: data.strengths,
      service: data.service,
      diagnoses: data.diagnoses,
      symptoms: data.symptoms,
      impairments: data.impairments,
      goals: [],
      objectives: [],
      interventions: [],
    };
    return {
      status: 'open',
      planId: data.planId,
      clientId: data.clientId,
      clinicianId: data.clinicianId,
      payerId: data.payerId,
      openedAt: data.openedAt,
      inEffect: null,
      revisionInEffect: null,
      draft: {
        revision: 1,
        reason: 'initial_plan',
        note: null,
        triggers: [],
        proposedAt: data.openedAt,
        proposedBy: data.by,
        content,
        changes: {
          ...noChanges,
          diagnoses: { ...noChanges.diagnoses, added: data.diagnoses.map((diagnosis) => diagnosis.code) },
          symptoms: { ...noChanges.symptoms, added: data.symptoms.map((symptom) => symptom.symptomId) },
          impairments: { ...noChanges.impairments, added: data.impairments.map((impairment) => impairment.impairmentId) },
          service: true,
        },
        attestations: [],
      },
      revisions: [],
      assessments: [],
      series: {},
      lifeEvents: [],
      triggers: [],
      closure: null,
    };
  }
  if (state.status === 'not_opened') return state;
  const plan = state;

  switch (event.type) {
    case 'RevisionProposed': {
      const { data } = event;
      // Stryker disable next-line ConditionalExpression: a revision is proposed only when none is drafted, which an open plan is only once revision 1 took effect
      if (!plan.inEffect) return plan;
      return {
        ...plan,
        draft: {
          revision: data.revision,
          reason: data.reason,
          note: data.note,
          triggers: data.triggers,
          proposedAt: data.proposedAt,
          proposedBy: data.by,
          content: plan.inEffect,
          changes: noChanges,
          attestations: [],
        },
      };
    }
    case 'RevisionWithdrawn':
      return { ...plan, draft: null };
    case 'DiagnosisAdded': {
      const { diagnosis } = event.data;
      return changeDraft(plan, (c) => ({ ...c, diagnoses: [...c.diagnoses, diagnosis] }), ['diagnoses', 'added', diagnosis.code]);
    }
    case 'DiagnosisRemoved': {
      const { code } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, diagnoses: c.diagnoses.filter((diagnosis) => diagnosis.code !== code) }),
        ['diagnoses', 'removed', code],
      );
    }
    case 'PrimaryDiagnosisChanged': {
      const { previousCode, code } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          diagnoses: c.diagnoses.map((diagnosis) => ({
            ...diagnosis,
            rank: diagnosis.code === code ? 'primary' : diagnosis.code === previousCode ? 'secondary' : diagnosis.rank,
          })),
        }),
        ['diagnoses', 'changed', previousCode],
        ['diagnoses', 'changed', code],
      );
    }
    case 'SymptomAdded': {
      const { symptom } = event.data;
      return changeDraft(plan, (c) => ({ ...c, symptoms: [...c.symptoms, symptom] }), ['symptoms', 'added', symptom.symptomId]);
    }
    case 'SymptomRemoved': {
      const { symptomId } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, symptoms: c.symptoms.filter((symptom) => symptom.symptomId !== symptomId) }),
        ['symptoms', 'removed', symptomId],
      );
    }
    case 'ImpairmentAdded': {
      const { impairment } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, impairments: [...c.impairments, impairment] }),
        ['impairments', 'added', impairment.impairmentId],
      );
    }
    case 'ImpairmentRemoved': {
      const { impairmentId } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, impairments: c.impairments.filter((impairment) => impairment.impairmentId !== impairmentId) }),
        ['impairments', 'removed', impairmentId],
      );
    }
    case 'ServiceChanged': {
      const changed = changeDraft(plan, (c) => ({ ...c, service: event.data.service }));
      return changed.draft ? { ...changed, draft: { ...changed.draft, changes: { ...changed.draft.changes, service: true } } } : changed;
    }
    case 'GoalAdded': {
      const { goal } = event.data;
      return changeDraft(plan, (c) => ({ ...c, goals: [...c.goals, goal] }), ['goals', 'added', goal.goalId]);
    }
    case 'GoalRevised': {
      const { goalId, clientGoal, clinicalGoal, addresses } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          goals: replace(c.goals, (goal) => goal.goalId === goalId, (goal) => ({ ...goal, clientGoal, clinicalGoal, addresses })),
        }),
        ['goals', 'changed', goalId],
      );
    }
    case 'GoalDiscontinued': {
      const { goalId } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, goals: replace(c.goals, (goal) => goal.goalId === goalId, (goal) => ({ ...goal, status: 'discontinued' })) }),
        ['goals', 'removed', goalId],
      );
    }
    case 'GoalMet': {
      const { goalId, metAt } = event.data;
      const met = everywhere(plan, (c) => ({
        ...c,
        goals: replace(c.goals, (goal) => goal.goalId === goalId, (goal) => ({ ...goal, status: 'met' })),
      }));
      return addTrigger(met, 'GoalMet', goalId, metAt);
    }
    case 'ObjectiveAdded': {
      const { objective } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, objectives: [...c.objectives, objective] }),
        ['objectives', 'added', objective.objectiveId],
      );
    }
    case 'ObjectiveRevised': {
      const { objectiveId, description, measure, targetDate } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          objectives: replace(
            c.objectives,
            (objective) => objective.objectiveId === objectiveId,
            (objective) => ({ ...objective, description, measure, targetDate }),
          ),
        }),
        ['objectives', 'changed', objectiveId],
      );
    }
    case 'ObjectiveDiscontinued': {
      const { objectiveId } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          objectives: replace(
            c.objectives,
            (objective) => objective.objectiveId === objectiveId,
            (objective) => ({ ...objective, status: 'discontinued' }),
          ),
        }),
        ['objectives', 'removed', objectiveId],
      );
    }
    case 'ObjectiveMet': {
      const { objectiveId, metAt } = event.data;
      const met = everywhere(plan, (c) => ({
        ...c,
        objectives: replace(
          c.objectives,
          (objective) => objective.objectiveId === objectiveId,
          (objective) => ({ ...objective, status: 'met' }),
        ),
      }));
      return addTrigger(met, 'ObjectiveMet', objectiveId, metAt);
    }
    case 'InterventionAdded': {
      const { intervention } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, interventions: [...c.interventions, intervention] }),
        ['interventions', 'added', intervention.interventionId],
      );
    }
    case 'InterventionDiscontinued': {
      const { interventionId } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          interventions: replace(
            c.interventions,
            (intervention) => intervention.interventionId === interventionId,
            (intervention) => ({ ...intervention, status: 'discontinued' }),
          ),
        }),
        ['interventions', 'removed', interventionId],
      );
    }
    case 'AssessmentRecorded': {
      const { assessmentId, instrument, total, band, safetyFlag, assessedAt } = event.data;
      const score = { assessmentId, instrument, total, safetyFlag, at: assessedAt, time: Date.parse(assessedAt) };
      const series = [...(plan.series[instrument] ?? [])];
      series.splice(positionInSeries(series, score.time), 0, score);
      return {
        ...plan,
        assessments: [...plan.assessments, { assessmentId, instrument, total, band, safetyFlag, assessedAt }],
        series: { ...plan.series, [instrument]: series },
      };
    }
    case 'SymptomsChanged':
      return addTrigger(plan, 'SymptomsChanged', event.data.assessmentId, event.data.occurredAt);
    case 'LifeEventReported': {
      const { lifeEventId, category, impact, occurredOn, reportedAt } = event.data;
      const reported = { ...plan, lifeEvents: [...plan.lifeEvents, { lifeEventId, category, impact, occurredOn, reportedAt }] };
      return addTrigger(reported, 'LifeEventReported', lifeEventId, reportedAt);
    }
    case 'RevisionSignaturesVoided':
      return plan.draft ? { ...plan, draft: { ...plan.draft, attestations: [] } } : plan;
    case 'PlanSigned': {
      const { signerRole: role, signerId, signedAt, method } = event.data;
      // Stryker disable next-line ConditionalExpression: a signature is decided only on an open draft (openDraft)
      if (!plan.draft) return plan;
      return {
        ...plan,
        draft: { ...plan.draft, attestations: [...plan.draft.attestations, { signerRole: role, signerId, signedAt, method }] },
      };
    }
    case 'PlanRevised': {
      const { data } = event;
      const answered = (trigger: TriggerRecord) =>
        data.triggersAnswered.some((ref) => ref.type === trigger.type && ref.id === trigger.id);
      return {
        ...plan,
        inEffect: data.plan,
        revisionInEffect: data.revision,
        draft: null,
        revisions: [
          ...plan.revisions,
          {
            revision: data.revision,
            reason: data.reason,
            note: data.note,
            triggersAnswered: data.triggersAnswered,
            changes: data.changes,
            attestations: data.attestations,
            effectiveAt: data.revisedAt,
          },
        ],
        triggers: plan.triggers.map((trigger) =>
          answered(trigger) ? { ...trigger, answeredInRevision: data.revision } : trigger,
        ),
      };
    }
    case 'PlanClosed': {
      const { reason, note, closedAt, by } = event.data;
      return { ...plan, status: 'closed', draft: null, closure: { reason, note, closedAt, closedBy: by } };
    }
    default: {
      // An event type this build does not know (written by a newer one) changes nothing here.
      const unknown: never = event;
      void unknown;
      return plan;
    }
  }
};
