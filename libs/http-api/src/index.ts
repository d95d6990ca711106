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
