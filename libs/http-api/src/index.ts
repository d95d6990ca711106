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
export { FieldProblemDto, PROBLEM_CONTENT_TYPE, ProblemDetails, problemTitleOf, problemTypeOf } from './problem-details';
export { bodyParserErrors, ProblemDetailsFilter, problemOf } from './problem-details.filter';
export { MAX_FIELD_PROBLEMS, RequestInvalid, RequestRefused } from './request-errors';
export { requestValidationPipe } from './validation.pipe';
export { AuthGuard } from './auth/auth.guard';
export { CurrentPrincipal, Public, PUBLIC_ROUTE, Roles, ROUTE_ROLES } from './auth/auth.decorators';
export { hasRole, ROLES, seesCaseloadOf, type Principal, type Role } from './auth/principal';
export { ACCEPTED_ALGORITHMS, TokenRefused, TokenVerifier, type KeySource, type TokenSettings } from './auth/token-verifier';
