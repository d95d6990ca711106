import type { ErrorExplainer, ExplainedError } from '@golden-loop/http-api';
import { AssessmentInvalid, isPlanError, type PlanErrorKind } from '../domain/errors';
import { PlanNotFound, StalePlanVersion } from '../application/plan-streams';

const statusOfKind: Record<PlanErrorKind, ExplainedError['status']> = {
  invalid: 400,
  conflict: 409,
  not_found: 404,
};

/** The plan service's one mapping from its errors to HTTP (STYLE.md §5). */
export const explainPlanError: ErrorExplainer = (error) => {
  if (isPlanError(error)) {
    return {
      status: statusOfKind[error.kind],
      code: error.code,
      message: error.message,
      problems:
        error instanceof AssessmentInvalid
          ? error.problems.map(({ field, reason }) => ({ field, reason }))
          : error.field === undefined
            ? []
            : [{ field: error.field, reason: error.message }],
    };
  }
  if (error instanceof PlanNotFound) return { status: 404, code: error.code, message: error.message };
  if (error instanceof StalePlanVersion) {
    return { status: 409, code: error.code, message: error.message, currentVersion: error.currentVersion };
  }
  return undefined;
};
