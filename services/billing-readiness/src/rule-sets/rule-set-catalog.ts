import { DomainError, type FieldProblem } from '@golden-loop/decider';
import { CLOCK, Timers, type Clock } from '@golden-loop/scheduling';
import { SERVICE_CONFIG } from '@golden-loop/service-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BillingConfig } from '../config';
import type { RuleSet } from '../domain/rule-set';
import { PlanReadinessReadModel } from '../read-models/plan-readiness.read-model';
import { TIMERS } from '../readiness-stream';
import { loadRuleSets, PAYER_MAP_FILE, RuleSetsInvalid, ruleSetForPayer, type LoadedRuleSets } from './rule-set-loader';

/** A reload found bad files: nothing changed, and each problem names its file and rule. */
export class RuleSetsRejected extends DomainError {
  readonly code = 'rule_sets_invalid';
  readonly kind = 'invalid';
  constructor(private readonly invalid: RuleSetsInvalid) {
    super('The rule sets were not reloaded: some files are invalid; the ones in force stay in force.');
  }
  override get problems(): readonly FieldProblem[] {
    return this.invalid.problems.map((p) => ({ field: p.rule ? `${p.file}#${p.rule}` : p.file, reason: p.reason }));
  }
}

const PAYER_MAP_KEY = `file:${PAYER_MAP_FILE}`;

/**
 * The payer rule sets in force. Loaded once when the service is built (a bad file stops the start with every
 * problem named), again on `POST /rule-sets/reload`. Each time, rule sets whose content changed (by hash, whatever
 * their version says) and payers moved to another set get their open plans re-checked: a durable re-check timer per
 * plan, due now, scheduled in the transaction that records the versions in force (docs/payer-rules.md).
 */
@Injectable()
export class RuleSetCatalog implements OnApplicationBootstrap {
  private readonly logger = new Logger(RuleSetCatalog.name);
  private loaded: LoadedRuleSets;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    private readonly dataSource: DataSource,
    private readonly readModel: PlanReadinessReadModel,
    @Inject(Timers) private readonly timers: Timers,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.loaded = loadRuleSets(config.RULE_SETS_DIR);
  }

  current(): LoadedRuleSets {
    return this.loaded;
  }

  ruleSetOf(payerId: string): RuleSet {
    return ruleSetForPayer(this.loaded, payerId);
  }

  async onApplicationBootstrap(): Promise<void> {
    const rechecks = await this.recordVersions();
    if (rechecks > 0) this.logger.log(`rule sets changed since the last start: ${rechecks} plans scheduled for a re-check`);
  }

  /** Loads the directory again; refuses (and keeps the rule sets in force) when a file is bad. */
  async reload(): Promise<{ loaded: LoadedRuleSets; rechecksScheduled: number }> {
    try {
      this.loaded = loadRuleSets(this.config.RULE_SETS_DIR);
    } catch (error) {
      if (error instanceof RuleSetsInvalid) throw new RuleSetsRejected(error);
      throw error;
    }
    return { loaded: this.loaded, rechecksScheduled: await this.recordVersions() };
  }

  private recordVersions(): Promise<number> {
    const loaded = this.loaded;
    return this.dataSource.transaction(async (manager) => {
      // One instance at a time compares and records, so two starting together schedule the re-checks once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('golden-loop/billing/rule-sets', 0))`);
      const stored = new Map(
        (await manager.query<{ rule_set_id: string; hash: string }[]>('SELECT rule_set_id, hash FROM rule_set_versions')).map((row) => [row.rule_set_id, row.hash]),
      );
      const changed = new Set([...loaded.ruleSets.values()].filter((set) => stored.get(set.id) !== set.hash).map((set) => set.id));
      const mapChanged = stored.get(PAYER_MAP_KEY) !== loaded.payerMapHash;
      if (changed.size === 0 && !mapChanged) return 0;
      const plans = (await this.readModel.openPlans(manager)).filter(
        (plan) => (plan.ruleSetId !== null && changed.has(plan.ruleSetId)) || ruleSetForPayer(loaded, plan.payerId).id !== plan.ruleSetId,
      );
      const now = this.clock.now();
      await this.timers.schedule(
        manager,
        plans.map((plan) => ({ timerId: TIMERS.recheck.idOf(plan.planId), kind: TIMERS.recheck.kind, streamId: plan.planId, dueAt: now, payload: { cause: 'rule_set_changed' } })),
      );
      const rows = [...[...loaded.ruleSets.values()].map((set) => [set.id, set.version, set.hash]), [PAYER_MAP_KEY, 1, loaded.payerMapHash]];
      await manager.query(
        `INSERT INTO rule_set_versions (rule_set_id, version, hash, checked_at)
         SELECT r->>0, (r->>1)::int, r->>2, $2 FROM jsonb_array_elements($1::jsonb) AS r
         ON CONFLICT (rule_set_id) DO UPDATE SET version = EXCLUDED.version, hash = EXCLUDED.hash, checked_at = EXCLUDED.checked_at`,
        [JSON.stringify(rows), now],
      );
      return plans.length;
    });
  }
}
