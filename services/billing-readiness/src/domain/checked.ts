import { checkReadiness } from './check';
import type { CheckPolicy } from './commands';
import type { CheckCause, ReadinessChecked, ReadinessEvent } from './events';
import { evolve } from './evolve';
import type { PlanReadiness } from './state';

/** A plan is checked once billing knows it and its payer; a self-pay plan has no payer rules to meet. */
export const isCheckable = (state: PlanReadiness): boolean => state.opened !== null && state.opened.payerId !== null;

/**
 * The facts a command decided, then a check of the plan as they leave it (every input is followed by a check,
 * docs/payer-rules.md). Nothing is checked for a plan billing cannot check yet.
 */
export const withCheck = (
  state: PlanReadiness,
  facts: readonly ReadinessEvent[],
  command: { readonly metadata: { readonly now: string }; readonly check: CheckPolicy },
  cause: CheckCause,
  triggeredBy: string | null,
): ReadinessEvent[] => {
  const after = facts.reduce(evolve, state);
  if (!isCheckable(after)) return [...facts];
  const payerId = after.opened!.payerId!;
  const ruleSet = command.check.ruleSetOf(payerId);
  const now = new Date(command.metadata.now);
  const result = checkReadiness(after, ruleSet, { now, credentialsOf: command.check.credentialsOf });
  const checked: ReadinessChecked = {
    type: 'ReadinessChecked',
    data: {
      planId: after.planId!,
      checkId: command.check.checkId,
      payerId,
      ruleSetId: ruleSet.id,
      ruleSetVersion: ruleSet.version,
      ruleSetHash: ruleSet.hash,
      cause,
      triggeredBy,
      outcome: result.outcome,
      findings: result.findings,
      checkedAt: command.metadata.now,
      nextCheckAt: result.nextCheckAt?.toISOString() ?? null,
    },
  };
  return [...facts, checked];
};
