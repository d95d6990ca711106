import type { OpenPlan } from './commands';
import { treatmentStart } from './date-rules';
import { IdAlreadyUsed, NotExactlyOnePrimaryDiagnosis, NotFoundInPlan, PlanAlreadyOpened } from './errors';
import type { PlanEvent } from './events';
import type { TreatmentPlan } from './plan-state';

// Opening a plan drafts revision 1 with what the intake found: the diagnoses (exactly one primary), the symptoms
// and functional impairments of them, the service. It takes effect once client and clinician sign it.

export const openPlan = ({ data, metadata }: OpenPlan, plan: TreatmentPlan): PlanEvent[] => {
  if (plan.status !== 'not_opened') throw new PlanAlreadyOpened(plan.planId);

  const primaries = data.diagnoses.filter((diagnosis) => diagnosis.rank === 'primary').length;
  if (primaries !== 1) throw new NotExactlyOnePrimaryDiagnosis(primaries);

  const linkedDiagnosis = (field: string, code: string): void => {
    if (!data.diagnoses.some((diagnosis) => diagnosis.code === code)) throw new NotFoundInPlan('diagnosis', code, field);
  };
  data.symptoms.forEach((symptom, index) => {
    if (data.symptoms.findIndex((other) => other.symptomId === symptom.symptomId) < index) {
      throw new IdAlreadyUsed('symptom', symptom.symptomId, `symptoms[${index}].symptomId`);
    }
    linkedDiagnosis(`symptoms[${index}].diagnosisCode`, symptom.diagnosisCode);
  });
  data.impairments.forEach((impairment, index) => {
    if (data.impairments.findIndex((other) => other.impairmentId === impairment.impairmentId) < index) {
      throw new IdAlreadyUsed('impairment', impairment.impairmentId, `impairments[${index}].impairmentId`);
    }
    linkedDiagnosis(`impairments[${index}].diagnosisCode`, impairment.diagnosisCode);
  });

  return [
    {
      type: 'PlanOpened',
      data: {
        planId: data.planId,
        clientId: data.clientId,
        clinicianId: data.clinicianId,
        payerId: data.payerId,
        revision: 1,
        presentingProblem: data.presentingProblem,
        strengths: data.strengths,
        diagnoses: data.diagnoses,
        symptoms: data.symptoms,
        impairments: data.impairments,
        service: data.service,
        openedAt: data.openedAt === null ? metadata.now : treatmentStart('openedAt', data.openedAt, metadata.now),
        by: metadata.userId,
      },
    },
  ];
};
