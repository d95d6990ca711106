import type { ErrorObject } from 'ajv';

export const CONTRACT_VIOLATION_CODES = [
  'unknown_type',
  'unknown_version',
  'invalid_envelope',
  'invalid_payload',
  'malformed_json',
] as const;

export type ContractViolationCode = (typeof CONTRACT_VIOLATION_CODES)[number];

/**
 * Where a message breaks the contract. `path` is a JSON pointer into the headers (`/ce_id`), the record
 * (`/key`, `/value`) or the payload (`/reasons/0`). Issues name fields and rules, never the values found:
 * they are written to logs and DLQ headers, and a value may be PHI.
 */
export interface ContractIssue {
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
}

/**
 * A message that no retry can fix: consumers send it straight to `<topic>.dlq`.
 * `code` is stable and safe to branch on; `message` is for people.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(
    readonly code: ContractViolationCode,
    message: string,
    readonly issues: readonly ContractIssue[] = [],
    readonly eventType?: string,
  ) {
    super(message);
  }

  toJSON(): { code: ContractViolationCode; message: string; eventType?: string; issues: readonly ContractIssue[] } {
    return { code: this.code, message: this.message, eventType: this.eventType, issues: this.issues };
  }
}

export const isContractViolation = (error: unknown): error is ContractViolation =>
  error instanceof ContractViolation;

/** ajv errors as issues: the pointer names the offending property itself for `required` and `additionalProperties`. */
export const issuesFromAjv = (errors: readonly ErrorObject[] | null | undefined, prefix = ''): ContractIssue[] =>
  (errors ?? []).map((error) => {
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const property = params.missingProperty ?? params.additionalProperty;
    const path = `${prefix}${error.instancePath}${property === undefined ? '' : `/${escapePointer(property)}`}`;
    return { path: path || '/', keyword: error.keyword, message: error.message ?? error.keyword };
  });

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
