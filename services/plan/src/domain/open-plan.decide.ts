import type { OpenPlan } from './commands';
import { FieldInvalid, IdAlreadyUsed, NotExactlyOnePrimaryDiagnosis, NotFoundInPlan, PlanAlreadyOpened } from './errors';
import type { PlanEvent } from './events';
import { diagnosisCode, listOf, optionalText, requireId, requireText, serviceDetails, treatmentStart } from './field-rules';
import type { Diagnosis, Impairment, Symptom } from './plan-content';
import { PLAN_LIMITS, TEXT_LIMITS } from './plan-limits';
import type { TreatmentPlan } from './plan-state';

// Opening a plan drafts revision 1 with what the intake found: the diagnoses (exactly one primary), the symptoms
// and functional impairments of them, the service. It takes effect once client and clinician sign it.

export const openPlan = ({ data, metadata }: OpenPlan, plan: TreatmentPlan): PlanEvent[] => {
  if (plan.status !== 'not_opened') throw new PlanAlreadyOpened(plan.planId);

  const diagnoses: Diagnosis[] = [];
  // Every list is held to its limit before any item is looked at (docs/input-limits.md).
  listOf('diagnoses', data.diagnoses, 'The diagnoses', PLAN_LIMITS.diagnoses).forEach((given, index) => {
    const code = diagnosisCode(`diagnoses[${index}].code`, given.code);
    if (diagnoses.some((diagnosis) => diagnosis.code === code)) {
      throw new FieldInvalid(`diagnoses[${index}].code`, `${code} is listed twice.`);
    }
    const rank = given.rank === 'primary' || given.rank === 'secondary' ? given.rank : null;
    if (rank === null) throw new FieldInvalid(`diagnoses[${index}].rank`, "The rank must be 'primary' or 'secondary'.");
    diagnoses.push({ code, rank, description: optionalText(`diagnoses[${index}].description`, given.description, 'The description', TEXT_LIMITS.diagnosis) });
  });
  const primaries = diagnoses.filter((diagnosis) => diagnosis.rank === 'primary').length;
  if (primaries !== 1) throw new NotExactlyOnePrimaryDiagnosis(primaries);

  const linkedDiagnosis = (field: string, value: unknown): string => {
    const code = diagnosisCode(field, value);
    if (!diagnoses.some((diagnosis) => diagnosis.code === code)) throw new NotFoundInPlan('diagnosis', code, field);
    return code;
  };
  const symptoms: Symptom[] = [];
  listOf('symptoms', data.symptoms, 'The symptoms', PLAN_LIMITS.symptoms).forEach((given, index) => {
    const symptomId = requireId(`symptoms[${index}].symptomId`, given.symptomId);
    if (symptoms.some((symptom) => symptom.symptomId === symptomId)) {
      throw new IdAlreadyUsed('symptom', symptomId, `symptoms[${index}].symptomId`);
    }
    symptoms.push({
      symptomId,
      diagnosisCode: linkedDiagnosis(`symptoms[${index}].diagnosisCode`, given.diagnosisCode),
      description: requireText(`symptoms[${index}].description`, given.description, 'The symptom', TEXT_LIMITS.problem),
    });
  });
  const impairments: Impairment[] = [];
  listOf('impairments', data.impairments, 'The functional impairments', PLAN_LIMITS.impairments).forEach((given, index) => {
    const impairmentId = requireId(`impairments[${index}].impairmentId`, given.impairmentId);
    if (impairments.some((impairment) => impairment.impairmentId === impairmentId)) {
      throw new IdAlreadyUsed('impairment', impairmentId, `impairments[${index}].impairmentId`);
    }
    impairments.push({
      impairmentId,
      diagnosisCode: linkedDiagnosis(`impairments[${index}].diagnosisCode`, given.diagnosisCode),
      description: requireText(`impairments[${index}].description`, given.description, 'The functional impairment', TEXT_LIMITS.problem),
    });
  });

  return [
    {
      type: 'PlanOpened',
      data: {
        planId: requireId('planId', data.planId),
        clientId: requireId('clientId', data.clientId),
        clinicianId: requireId('clinicianId', data.clinicianId),
        payerId: data.payerId === null ? null : requireId('payerId', data.payerId),
        revision: 1,
        presentingProblem: requireText('presentingProblem', data.presentingProblem, 'The presenting problem', TEXT_LIMITS.presentingProblem),
        strengths: listOf('strengths', data.strengths, 'The strengths', PLAN_LIMITS.strengths).map((strength, index) =>
          requireText(`strengths[${index}]`, strength, 'A strength', TEXT_LIMITS.strength),
        ),
        diagnoses,
        symptoms,
        impairments,
        service: serviceDetails('service', data.service),
        openedAt: data.openedAt == null ? metadata.now : treatmentStart('openedAt', data.openedAt, metadata.now),
        by: metadata.userId,
      },
    },
  ];
};
