import { assessChange, INSTRUMENTS, scoreAssessment } from '@golden-loop/clinical';
import type { RecordAssessment } from './commands';
import { CLINIC_TIMES, instantInTreatment } from './date-rules';
import { AssessmentInvalid, IdAlreadyUsed } from './errors';
import type { PlanEvent } from './events';
import { positionInSeries, type OpenedPlan } from './plan-state';

/**
 * Always records the assessment; adds SymptomsChanged when libs/clinical finds a meaningful change against this
 * plan's other scores on the same instrument, taken in the order they were administered: a score entered late is
 * compared with the one given before it, and the scores given after it are not judged again (docs/clinical-dates.md,
 * "A score entered late"). Treatment is counted from the plan's opening (non-response).
 */
export const recordAssessment = ({ data, metadata }: RecordAssessment, plan: OpenedPlan): PlanEvent[] => {
  const { assessmentId } = data;
  for (const assessment of plan.assessments) {
    if (assessment.assessmentId === assessmentId) throw new IdAlreadyUsed('assessment', assessmentId, 'assessmentId');
  }
  const outcome = scoreAssessment(data.instrument, data.items, data.declaredTotal);
  if (!outcome.ok) throw new AssessmentInvalid(outcome.problems);
  const scored = outcome.assessment;
  const administeredAt =
    data.administeredAt === null ? metadata.now : instantInTreatment('administeredAt', data.administeredAt, plan, metadata.now, CLINIC_TIMES.administeredAt);
  const administered = Date.parse(administeredAt);
  // The plan keeps each instrument's scores in administered order (plan-state.ts `series`); the scores given after
  // this one (a score entered late) are at its end, usually none.
  const series = plan.series[scored.instrument] ?? [];
  const split = positionInSeries(series, administered);
  const history = series.slice(0, split);
  const later = series.slice(split);
  const previous = history[history.length - 1] ?? null;
  const change = assessChange({
    current: scored,
    at: administeredAt,
    previous,
    // Stryker disable next-line LogicalOperator: libs/clinical takes the first score of the history as the baseline when it is given none
    baseline: history[0] ?? null,
    history,
    later,
    treatmentStartedAt: plan.openedAt,
  });
  const loinc = INSTRUMENTS[scored.instrument].loinc;
  const recorded: PlanEvent = {
    type: 'AssessmentRecorded',
    data: {
      planId: plan.planId,
      assessmentId,
      instrument: scored.instrument,
      loinc,
      items: scored.items,
      total: scored.total,
      band: scored.band,
      safetyFlag: scored.safetyFlag,
      assessedAt: administeredAt,
      by: metadata.userId,
    },
  };
  if (!change) return [recorded];
  return [
    recorded,
    {
      type: 'SymptomsChanged',
      data: {
        planId: plan.planId,
        assessmentId,
        previousAssessmentId: previous?.assessmentId ?? null,
        instrument: change.instrument,
        loinc,
        previousScore: change.previousScore,
        newScore: change.newScore,
        previousBand: change.previousBand,
        newBand: change.newBand,
        direction: change.direction,
        reasons: change.reasons,
        urgency: change.urgency,
        occurredAt: metadata.now,
      },
    },
  ];
};
