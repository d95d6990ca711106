export {
  GAD7,
  INSTRUMENTS,
  INSTRUMENT_CODES,
  PHQ9,
  bandFor,
  bandRank,
  instrumentDefinition,
  isAtOrAboveCaseness,
  isInstrumentCode,
  isReliableChange,
  isRemission,
  isResponse,
  mostSevereBand,
} from './instruments';
export type { BandRange, InstrumentCode, InstrumentDefinition, SeverityBand } from './instruments';
export { defaultNetworkPolicy, networkPolicy } from './policy';
export type { NetworkPolicy } from './policy';
export { scoreAssessment } from './scoring';
export type {
  AssessmentRejected,
  AssessmentScored,
  ScoredAssessment,
  ScoringOutcome,
  ScoringProblem,
  ScoringProblemCode,
} from './scoring';
export { CHANGE_REASONS, ChangeInputInconsistent, assessChange } from './change';
export type {
  ChangeDirection,
  ChangeInput,
  ChangeReason,
  ChangeUrgency,
  CurrentScore,
  DatedScore,
  MeaningfulChange,
} from './change';
export { DEFAULT_COVERED_PRIMARY_RANGES, isCoveredPrimaryDiagnosis, parseIcd10Code } from './icd10';
export type { Icd10Code, Icd10Parsed, Icd10Range } from './icd10';
export {
  ADVISORY_SOURCES,
  GOAL_LINK_KINDS,
  cannedGoals,
  goalsNotLinkedToCoveredDiagnosis,
  goldenLoopAdvisories,
  normaliseGoalText,
  primaryDiagnosisNotCovered,
  tooManyActiveGoals,
  unmeasurableObjectives,
} from './golden-loop';
export type {
  Advisory,
  AdvisoryCode,
  GoalLink,
  GoalLinkKind,
  GoldenLoopGoal,
  GoldenLoopObjective,
  GoldenLoopOptions,
  GoldenLoopPlan,
} from './golden-loop';
