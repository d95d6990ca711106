export { guardBody, guardedText, PROTOTYPE_KEYS, requestBodyGuard } from './body-guard';
export {
  actingUserOf,
  CommandTarget,
  commandMetadataOf,
  etagOf,
  expectedVersionOf,
  PositiveIntegerParam,
  setEtag,
  UuidParam,
  uuidParameter,
  type CommandTargetOf,
} from './command-target';
export { correlationMiddleware, correlationOf, requestCorrelation, type RequestCorrelation } from './correlation';
export { CALENDAR_DATE_REASON, DATE_TIME_REASON, IsCalendarDate, isCalendarDate, IsDateTime, isDateTime } from './dates';
export { jsonDepthProblem, verifyJsonDepth } from './json-depth';
export { ID_PATTERN, ID_REASON, IsId, idOf, isId } from './ids';
export { FieldProblemDto, PROBLEM_CONTENT_TYPE, ProblemDetails, problemTitleOf, problemTypeOf } from './problem-details';
export { bodyParserErrors, ProblemDetailsFilter, problemOf } from './problem-details.filter';
export { IsQueryInteger } from './query-integer';
export { MAX_FIELD_PROBLEMS, RequestInvalid, RequestRefused } from './request-errors';
export { REQUEST_LIMITS, type RequestLimits } from './request-limits';
export { requestPreflight } from './request-preflight';
export { normaliseText, textProblemOf, type TextProblem, type TextProblemCode } from './text-policy';
export { DTO_VALIDATION, fieldProblemsOf, structuralProblems, requestValidationPipe } from './validation.pipe';
export { AuthGuard } from './auth/auth.guard';
export { CurrentPrincipal, Public, PUBLIC_ROUTE, Roles, ROUTE_ROLES } from './auth/auth.decorators';
export { hasRole, ROLES, seesCaseloadOf, type Principal, type Role } from './auth/principal';
export { ACCEPTED_ALGORITHMS, TokenRefused, TokenVerifier, type KeySource, type TokenSettings } from './auth/token-verifier';
export {
  CaseloadDirectory,
  ClinicianScoped,
  CLINICIAN_SCOPE,
  mayAccessClinician,
  mayAccessPlan,
  NETWORK_ROLES,
  PLAN_SCOPE,
  PlanScoped,
  visibleCliniciansOf,
  type Caseload,
} from './auth/caseload';
export { Access, type AccessRule } from './auth/access.decorator';
