import type { FixCode, FindingCode } from '@golden-loop/contracts';
import type { CredentialsOf, Finding } from '../events';
import type { Rule, RuleCheck, RuleOf } from '../rule-set';
import type { PlanReadiness } from '../state';

// How one rule is evaluated: it reads the plan's documentation state at `now` and answers its findings and the
// instants after `now` at which its answer may change on time alone (the next re-check is the earliest of them).

export interface CheckContext {
  readonly now: Date;
  readonly credentialsOf: CredentialsOf;
}

export interface RuleResult {
  readonly findings: readonly Finding[];
  readonly boundaries: readonly Date[];
}

export type RuleEvaluator<C extends RuleCheck> = (rule: RuleOf<C>, state: PlanReadiness, context: CheckContext) => RuleResult;

export const DAY_MS = 24 * 60 * 60 * 1000;

export const passes: RuleResult = { findings: [], boundaries: [] };

export const addDays = (instant: string | Date, days: number): Date => new Date(new Date(instant).getTime() + days * DAY_MS);

/** A calendar date (UTC) as the instant it starts. */
export const startOfDate = (date: string): Date => new Date(`${date}T00:00:00.000Z`);

/** The calendar date (UTC) of an instant. */
export const dateOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** A finding of the rule. `failing` findings take the rule's configured severity; the rest keep theirs. */
export const finding = (
  rule: Rule,
  code: FindingCode,
  fix: FixCode,
  evidence: Finding['evidence'],
  level: 'failing' | 'warning',
): Finding => ({
  code,
  rule: rule.id,
  severity: level === 'warning' ? 'warning' : (rule.severity ?? 'error'),
  evidence,
  fix: { code: fix },
});

export const result = (findings: readonly Finding[], boundaries: readonly (Date | null)[] = []): RuleResult => ({
  findings,
  boundaries: boundaries.filter((boundary): boundary is Date => boundary !== null),
});
