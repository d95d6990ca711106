export { ASYNCAPI_DOCUMENT_VERSION, buildAsyncApiDocument, renderAsyncApiDocument } from './asyncapi';
export {
  CATALOGUE,
  CATALOGUE_ENTRIES,
  catalogueEntryOf,
  catalogueEntryOfType,
  topicOf,
} from './catalogue';
export type {
  CatalogueEntry,
  CatalogueKey,
  EventName,
  EventVersion,
  IntegrationEvent,
  IntegrationEventOf,
  PayloadOf,
} from './catalogue';
export { CONTRACT_VIOLATION_CODES, ContractViolation, isContractViolation } from './contract-violation';
export type { ContractIssue, ContractViolationCode } from './contract-violation';
export { decodeEvent, encodeEvent, formatSequence } from './envelope';
export type {
  DecodedEvent,
  DecodedEventOf,
  EncodedEvent,
  EncodeMeta,
  EventEnvelope,
  KafkaHeaders,
  KafkaRecord,
  StreamPosition,
} from './envelope';
export { CE_HEADERS, CONTENT_TYPE, headersSchemaOf, SEQUENCE_DIGITS, SPEC_VERSION } from './headers';
export type { CloudEventAttribute, HeaderName } from './headers';
export { dlqTopicOf, PRODUCERS, TOPIC_LAYOUT, TOPICS, topicOfProducer } from './producers';
export type { Producer, TopicOverrides } from './producers';
export type { FromSchema, JsonSchema } from './json-schema';
export {
  BEHAVIOURAL_UNIT_RANGES,
  BEHAVIOURAL_UNITS,
  CHANGE_COMPARISONS,
  CHANGE_DIRECTIONS,
  CLOSURE_REASONS,
  DIAGNOSIS_RANKS,
  FREQUENCY_PERIODS,
  INSTRUMENTS,
  LIFE_EVENT_IMPACTS,
  MODALITIES,
  PLAN_ITEM_STATUSES,
  PLAN_NUMBER_RANGES,
  SESSION_TYPES,
  SEVERITY_BANDS,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
  URGENCIES,
} from './vocabulary';
export type { InstrumentCode } from './vocabulary';
export { LIFE_EVENT_CATEGORIES, PLAN_COLLECTION_LIMITS, REVISION_REASONS, SYMPTOM_CHANGE_REASONS } from './events/plan-events';
export type {
  AssessmentRecordedV1,
  GoalAddedV1,
  GoalMetV1,
  LifeEventReportedV1,
  ObjectiveAddedV1,
  ObjectiveMetV1,
  PlanClosedV1,
  PlanOpenedV1,
  PlanRevisedV1,
  PlanSignedV1,
  SymptomsChangedV1,
} from './events/plan-events';
export {
  CANCELLATION_REASONS,
  ESCALATION_REASONS,
  ESCALATION_ROUTES,
  NO_CHANGE_REASONS,
  REVIEW_REASONS,
  REVIEW_TASK_KINDS,
  RISK_LEVELS,
  RISK_SCREENING_INSTRUMENTS,
  TASK_RESOLUTIONS,
} from './events/review-events';
export type {
  EscalationRoute,
  NoChangeReason,
  ReviewReason,
  ReviewTaskCancelledV1,
  ReviewTaskCompletedV1,
  ReviewTaskEscalatedV1,
  ReviewTaskKind,
  ReviewTaskOpenedV1,
  ReviewTaskOverdueV1,
  ReviewTaskTriggerJoinedV1,
  RiskLevel,
  RiskScreeningInstrument,
} from './events/review-events';
export {
  CHECK_CAUSES,
  CLINICIAN_CREDENTIALS,
  FINDING_CODES,
  FIX_CODES,
  FIX_GUIDANCE,
  PAYER_DECISIONS,
  REAUTHORIZATION_PRIORITIES,
  SERVICE_PARAMETERS,
} from './events/billing-events';
export type {
  AuthorizationCheckCompletedV1,
  AuthorizationRecordedV1,
  ClinicianCredential,
  FindingCode,
  FixCode,
  ReauthorizationDecidedV1,
  ReauthorizationDecisionOverdueV1,
  ReauthorizationRequestedV1,
  SessionRecordedV1,
} from './events/billing-events';
