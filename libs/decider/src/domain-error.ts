/**
 * How a refusal is meant, whatever the service: the one HTTP mapping (libs/http-api) turns each kind into a
 * status, so a service never chooses a status itself (docs/errors.md).
 * - `invalid`: the request itself is wrong (400);
 * - `not_found`: it names something that does not exist (404);
 * - `conflict`: the request is fine but the state does not allow it (409);
 * - `precondition_failed`: the caller's precondition (If-Match) no longer holds (412).
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'precondition_failed';

/** A field at fault and why, as a client shows it next to the field. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/**
 * Every refusal of a domain: a stable snake_case code clients switch on (one code per fact, docs/errors.md),
 * a sentence a clinician understands, and the fields at fault. Extra facts (such as `currentVersion`) are
 * own properties listed in `extensions`, so the HTTP layer can add them to the problem body without knowing
 * the error class.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;
  /** The first field at fault, when one is (a path inside the command data, such as `diagnoses[0].code`). */
  readonly field?: string;

  protected constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    if (field !== undefined) this.field = field;
  }

  /** Every field at fault; by default the one `field`, with the message as its reason. */
  get problems(): readonly FieldProblem[] {
    return this.field === undefined ? [] : [{ field: this.field, reason: this.message }];
  }

  /** Facts beyond code and message that a client may act on (problem-details extension members). */
  get extensions(): Readonly<Record<string, unknown>> {
    return {};
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
