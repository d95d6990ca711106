import type { Decider } from '@golden-loop/decider';
import { changeRevision } from './change-draft.decide';
import { closePlan } from './close-plan.decide';
import type { PlanCommand } from './commands';
import { FieldInvalid, PlanIsClosed, PlanNotFound } from './errors';
import type { PlanEvent } from './events';
import { evolve } from './evolve';
import { markGoalMet, markObjectiveMet } from './mark-met.decide';
import { openPlan } from './open-plan.decide';
import { initialState, type TreatmentPlan } from './plan-state';
import { proposeRevision, withdrawRevision } from './propose-revision.decide';
import { recordAssessment } from './record-assessment.decide';
import { reportLifeEvent } from './report-life-event.decide';
import { signRevision } from './sign-revision.decide';

// The TreatmentPlan aggregate as a decider (after Emmett's, docs/service-kit.md, "The decider"): decide(command,
// plan) → events, evolve(plan, event) → plan (evolve.ts), from the state of a plan never opened (plan-state.ts). This
// file only dispatches: each use case decides in its own file, named as its feature (features/<use-case>):
// open-plan, propose-revision (and withdrawing it), change-draft (its content, in change-draft.*.decide.ts),
// mark-met, record-assessment, report-life-event, sign-revision and close-plan. Commands arrive parsed at the edge
// (parse-command.ts, called by the plan's command handler), so a decision reads typed values and states only what
// the plan allows.
//
// Revisions (docs/clinical-rules.md, rule 1, co-authored plans). Opening a plan drafts revision 1. Every change to
// diagnoses, symptoms, impairments, service details, goals, objectives and interventions happens inside an open
// draft revision; the draft takes effect when both the client and the clinician have signed it (PlanSigned each,
// then PlanRevised). The plan in effect is the last signed revision; the draft is kept beside it. Facts that are
// not agreements — a goal or objective met, an assessment, a life event — are recorded any time the plan is open,
// in effect or still in draft, and are the triggers a later revision answers.
//
// At least one active goal (docs/clinical-rules.md, rule 2, "every client must have at least one active goal"):
//  - a revision cannot be signed without an active goal, so the plan in effect always starts with one;
//  - discontinuing a goal is a revision change, checked when the revision is signed;
//  - marking the last active goal of the plan in effect as met is refused unless the open draft revision holds
//    another active goal (the next goal, which takes over when the draft is signed); otherwise the clinician
//    proposes a revision with the next goal first, or closes the plan (discharge) when treatment is complete;
//  - for the same reason a draft whose signing is the only way back to an active goal cannot be withdrawn.
//
// Signatures attest a revision's content: a change to a draft that someone already signed voids those
// signatures (RevisionSignaturesVoided) and both sign again.

export const decide = (command: PlanCommand, plan: TreatmentPlan): PlanEvent[] => {
  if (command.type === 'OpenPlan') return openPlan(command, plan);
  if (plan.status === 'not_opened') throw new PlanNotFound();
  // Stryker disable next-line OptionalChaining: PlanClosed sets the status and the closure together, so a closed plan always has its closure
  if (plan.status === 'closed') throw new PlanIsClosed(plan.closure?.closedAt ?? '');
  switch (command.type) {
    case 'ProposeRevision':
      return proposeRevision(command, plan);
    case 'WithdrawRevision':
      return withdrawRevision(command, plan);
    case 'AddDiagnosis':
    case 'RemoveDiagnosis':
    case 'SetPrimaryDiagnosis':
    case 'AddSymptom':
    case 'RemoveSymptom':
    case 'AddImpairment':
    case 'RemoveImpairment':
    case 'ChangeService':
    case 'AddGoal':
    case 'ReviseGoal':
    case 'DiscontinueGoal':
    case 'AddObjective':
    case 'ReviseObjective':
    case 'DiscontinueObjective':
    case 'AddIntervention':
    case 'DiscontinueIntervention':
      return changeRevision(command, plan);
    case 'MarkGoalMet':
      return markGoalMet(command, plan);
    case 'MarkObjectiveMet':
      return markObjectiveMet(command, plan);
    case 'RecordAssessment':
      return recordAssessment(command, plan);
    case 'ReportLifeEvent':
      return reportLifeEvent(command, plan);
    case 'SignRevision':
      return signRevision(command, plan);
    case 'ClosePlan':
      return closePlan(command, plan);
    default: {
      const unknown: never = command;
      throw new FieldInvalid('type', `Unknown command ${(unknown as { type: string }).type}.`);
    }
  }
};

export const treatmentPlanDecider: Decider<TreatmentPlan, PlanCommand, PlanEvent> = { decide, evolve, initialState };
