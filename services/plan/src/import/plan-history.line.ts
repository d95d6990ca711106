import type { FieldProblem } from '@golden-loop/decider';
import { DTO_VALIDATION, fieldProblemsOf, guardBody, REQUEST_LIMITS, RequestRefused, structuralProblems, type RequestLimits } from '@golden-loop/http-api';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { HISTORY_LIMITS, ImportedPlanHistory } from './plan-history.dto';

/**
 * What one line may hold as a whole. A line is a plan's history, so it is larger than any one request (years of
 * weekly scores); each part of it keeps its request's own limits through the DTOs, and the text policy applies to
 * every string as at the HTTP edge (docs/input-limits.md).
 */
export const LINE_LIMITS: RequestLimits = {
  ...REQUEST_LIMITS,
  maxBodyBytes: 4 * 1024 * 1024,
  maxArrayLength: HISTORY_LIMITS.assessments,
  maxValues: 200_000,
};

export type ParsedLine =
  | { readonly ok: true; readonly history: ImportedPlanHistory }
  | { readonly ok: false; readonly planId: string | null; readonly problems: readonly FieldProblem[] };

const planIdOf = (value: unknown): string | null => {
  const planId = (value as { planId?: unknown } | null)?.planId;
  return typeof planId === 'string' && planId.length <= 36 ? planId.toLowerCase() : null;
};

/** What the timeline needs that a request leaves optional: every date of a history is given. */
const historyProblems = (history: ImportedPlanHistory): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  history.revisions.forEach((revision, index) => {
    const field = `revisions[${index}]`;
    if (revision.revision !== index + 1) problems.push({ field: `${field}.revision`, reason: `must be ${index + 1}: revisions are listed in order from 1` });
    if (index === 0 && (revision.reason !== undefined || revision.triggers !== undefined || revision.proposedAt !== undefined)) {
      problems.push({ field, reason: 'revision 1 is drafted by opening the plan: it has no reason, triggers or proposedAt' });
    }
    if (index > 0 && revision.reason === undefined) problems.push({ field: `${field}.reason`, reason: 'is required from revision 2 on' });
    revision.signatures.forEach((signature, n) => {
      if (signature.signedAt === undefined) problems.push({ field: `${field}.signatures[${n}].signedAt`, reason: 'is required in a history' });
      else if (revision.proposedAt !== undefined && Date.parse(signature.signedAt) < Date.parse(revision.proposedAt)) {
        problems.push({ field: `${field}.signatures[${n}].signedAt`, reason: 'must not be before the revision was proposed' });
      }
    });
    if (index > 0 && revision.proposedAt === undefined && revision.signatures.length === 0) {
      problems.push({ field: `${field}.proposedAt`, reason: 'is required for a revision without signatures' });
    }
  });
  (history.assessments ?? []).forEach((assessment, index) => {
    if (assessment.administeredAt === undefined) problems.push({ field: `assessments[${index}].administeredAt`, reason: 'is required in a history' });
  });
  return problems;
};

/**
 * One NDJSON line read as a plan history: JSON, the text policy and the line's size limits, the structure and
 * every field against the API's DTOs, then the dates the history's order needs. Never throws.
 */
export const parseHistoryLine = (text: string): ParsedLine => {
  if (Buffer.byteLength(text, 'utf8') > LINE_LIMITS.maxBodyBytes) {
    return { ok: false, planId: null, problems: [{ field: '(line)', reason: `is longer than ${LINE_LIMITS.maxBodyBytes} bytes` }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, planId: null, problems: [{ field: '(line)', reason: `is not JSON: ${(error as Error).message}` }] };
  }
  const planId = planIdOf(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, planId, problems: [{ field: '(line)', reason: 'must be a JSON object: one plan history' }] };
  }
  try {
    guardBody(value, LINE_LIMITS);
  } catch (error) {
    if (!(error instanceof RequestRefused)) throw error;
    return { ok: false, planId, problems: [{ field: error.field ?? '(line)', reason: `${error.code}: ${error.message}` }] };
  }
  const structure = structuralProblems(ImportedPlanHistory, value);
  if (structure.length > 0) return { ok: false, planId, problems: structure };
  const history = plainToInstance(ImportedPlanHistory, value);
  const invalid = fieldProblemsOf(validateSync(history, DTO_VALIDATION));
  if (invalid.length > 0) return { ok: false, planId, problems: invalid };
  const dates = historyProblems(history);
  if (dates.length > 0) return { ok: false, planId, problems: dates };
  return { ok: true, history };
};
