export { ErrorBody, FieldProblem, type ExplainedError, type ErrorExplainer } from './error-body';
export { ErrorBodyFilter, RequestInvalid } from './error.filter';
export { requestValidationPipe } from './validation.pipe';
