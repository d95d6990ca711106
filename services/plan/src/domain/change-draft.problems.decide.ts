import { existingDiagnosis, inRevision, type ChangeContext } from './change-draft.context';
import type {
  AddDiagnosis,
  AddImpairment,
  AddSymptom,
  ChangeService,
  RemoveDiagnosis,
  RemoveImpairment,
  RemoveSymptom,
  SetPrimaryDiagnosis,
} from './commands';
import { CollectionFull, IdAlreadyUsed, NotFoundInPlan, PrimaryDiagnosisCannotBeRemoved, StillLinked } from './errors';
import type { PlanEvent } from './events';
import { activeGoals, type PlanContent, type ProblemLink } from './plan-content';
import { PLAN_LIMITS } from './plan-limits';

// The draft's diagnoses, symptoms, functional impairments and service details. Nothing a goal, symptom or
// impairment still addresses can be removed, nor the primary diagnosis.

/** Active goals that address a problem directly. */
const goalsAddressing = (content: PlanContent, kind: ProblemLink['kind'], id: string): string[] =>
  activeGoals(content)
    .filter((goal) => goal.addresses.some((link) => link.kind === kind && link.id === id))
    .map((goal) => `goal ${goal.goalId}`);

export const addDiagnosis = ({ data }: AddDiagnosis, context: ChangeContext): PlanEvent[] => {
  if (context.content.diagnoses.length >= PLAN_LIMITS.diagnoses) {
    throw new CollectionFull('diagnoses', PLAN_LIMITS.diagnoses, 'remove one that nothing addresses before adding another');
  }
  const { code, description } = data;
  if (context.content.diagnoses.some((diagnosis) => diagnosis.code === code)) throw new IdAlreadyUsed('diagnosis', code, 'code');
  return [
    {
      type: 'DiagnosisAdded',
      data: {
        ...inRevision(context),
        diagnosis: { code, rank: 'secondary', description },
        addedAt: context.now,
      },
    },
  ];
};

export const removeDiagnosis = ({ data }: RemoveDiagnosis, context: ChangeContext): PlanEvent[] => {
  const diagnosis = existingDiagnosis(context, 'code', data.code);
  if (diagnosis.rank === 'primary') throw new PrimaryDiagnosisCannotBeRemoved(diagnosis.code);
  const linkedFrom = [
    ...context.content.symptoms.filter((symptom) => symptom.diagnosisCode === diagnosis.code).map((s) => `symptom ${s.symptomId}`),
    ...context.content.impairments
      .filter((impairment) => impairment.diagnosisCode === diagnosis.code)
      .map((i) => `impairment ${i.impairmentId}`),
    ...goalsAddressing(context.content, 'diagnosis', diagnosis.code),
  ];
  if (linkedFrom.length > 0) throw new StillLinked('diagnosis', diagnosis.code, linkedFrom);
  return [{ type: 'DiagnosisRemoved', data: { ...inRevision(context), code: diagnosis.code, removedAt: context.now } }];
};

/** Making the primary diagnosis primary again changes nothing and records nothing. */
export const setPrimaryDiagnosis = ({ data }: SetPrimaryDiagnosis, context: ChangeContext): PlanEvent[] => {
  const diagnosis = existingDiagnosis(context, 'code', data.code);
  if (diagnosis.rank === 'primary') return [];
  const previous = context.content.diagnoses.find((candidate) => candidate.rank === 'primary')!;
  return [
    {
      type: 'PrimaryDiagnosisChanged',
      data: { ...inRevision(context), previousCode: previous.code, code: diagnosis.code, changedAt: context.now },
    },
  ];
};

export const addSymptom = ({ data }: AddSymptom, context: ChangeContext): PlanEvent[] => {
  if (context.content.symptoms.length >= PLAN_LIMITS.symptoms) {
    throw new CollectionFull('symptoms', PLAN_LIMITS.symptoms, 'remove one that no goal addresses before adding another');
  }
  const { symptomId } = data;
  if (context.content.symptoms.some((symptom) => symptom.symptomId === symptomId)) {
    throw new IdAlreadyUsed('symptom', symptomId, 'symptomId');
  }
  return [
    {
      type: 'SymptomAdded',
      data: {
        ...inRevision(context),
        symptom: {
          symptomId,
          diagnosisCode: existingDiagnosis(context, 'diagnosisCode', data.diagnosisCode).code,
          description: data.description,
        },
        addedAt: context.now,
      },
    },
  ];
};

export const removeSymptom = ({ data }: RemoveSymptom, context: ChangeContext): PlanEvent[] => {
  const symptom = context.content.symptoms.find((candidate) => candidate.symptomId === data.symptomId);
  if (!symptom) throw new NotFoundInPlan('symptom', data.symptomId, 'symptomId');
  const linkedFrom = goalsAddressing(context.content, 'symptom', symptom.symptomId);
  if (linkedFrom.length > 0) throw new StillLinked('symptom', symptom.symptomId, linkedFrom);
  return [
    {
      type: 'SymptomRemoved',
      data: { ...inRevision(context), symptomId: symptom.symptomId, diagnosisCode: symptom.diagnosisCode, removedAt: context.now },
    },
  ];
};

export const addImpairment = ({ data }: AddImpairment, context: ChangeContext): PlanEvent[] => {
  if (context.content.impairments.length >= PLAN_LIMITS.impairments) {
    throw new CollectionFull('impairments', PLAN_LIMITS.impairments, 'remove one that no goal addresses before adding another');
  }
  const { impairmentId } = data;
  if (context.content.impairments.some((impairment) => impairment.impairmentId === impairmentId)) {
    throw new IdAlreadyUsed('impairment', impairmentId, 'impairmentId');
  }
  return [
    {
      type: 'ImpairmentAdded',
      data: {
        ...inRevision(context),
        impairment: {
          impairmentId,
          diagnosisCode: existingDiagnosis(context, 'diagnosisCode', data.diagnosisCode).code,
          description: data.description,
        },
        addedAt: context.now,
      },
    },
  ];
};

export const removeImpairment = ({ data }: RemoveImpairment, context: ChangeContext): PlanEvent[] => {
  const impairment = context.content.impairments.find((candidate) => candidate.impairmentId === data.impairmentId);
  if (!impairment) throw new NotFoundInPlan('impairment', data.impairmentId, 'impairmentId');
  const linkedFrom = goalsAddressing(context.content, 'impairment', impairment.impairmentId);
  if (linkedFrom.length > 0) throw new StillLinked('impairment', impairment.impairmentId, linkedFrom);
  return [
    {
      type: 'ImpairmentRemoved',
      data: {
        ...inRevision(context),
        impairmentId: impairment.impairmentId,
        diagnosisCode: impairment.diagnosisCode,
        removedAt: context.now,
      },
    },
  ];
};

export const changeService = ({ data }: ChangeService, context: ChangeContext): PlanEvent[] => [
  { type: 'ServiceChanged', data: { ...inRevision(context), service: data.service, changedAt: context.now } },
];
