import type { RuleCheck, RuleOf, RuleParams } from '../rule-set';
import type { CheckContext } from '../rules/rule-evaluation';
import { credentialsOf, NOW } from './readiness-builders';

// A rule as a rule-set file states it, for rule specs that read one check at a time (docs/payer-rules.md).
export const aRule = <C extends RuleCheck>(check: C, params: RuleParams[C], overrides: Partial<Pick<RuleOf<C>, 'severity'>> = {}): RuleOf<C> =>
  ({ id: `test.${check}`, check, params, source: 'docs/payer-rules.md', ...overrides });

/** The context of a check at `now` (NOW by default) with the clinician's credentials given, psychiatrist by default. */
export const contextAt = (now: Date | string = NOW, credentials?: Parameters<typeof credentialsOf>[0]): CheckContext => ({
  now: new Date(now),
  credentialsOf: credentialsOf(credentials),
});

export const at = (iso: string): Date => new Date(iso);
