import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import type { Rule, RuleSet } from '../domain/rule-set';
import { PARAMS_SCHEMAS, PAYER_MAP_SCHEMA, RULE_SET_FILE_SCHEMA } from './rule-set-schema';

// Loads the payer rule sets from a directory of JSON files and refuses a bad one with the file, the rule and the
// reason (docs/payer-rules.md, "Rule-set files"). `payers.json` maps payer ids to rule-set ids; every other
// `*.json` is a rule set.

export const PAYER_MAP_FILE = 'payers.json';

export interface RuleSetProblem {
  readonly file: string;
  readonly rule?: string;
  readonly reason: string;
}

export class RuleSetsInvalid extends Error {
  constructor(
    readonly directory: string,
    readonly problems: readonly RuleSetProblem[],
  ) {
    super(
      `Invalid payer rule sets in ${directory}:\n` +
        problems.map((p) => `  ${p.file}${p.rule ? `: rule ${p.rule}` : ''}: ${p.reason}`).join('\n'),
    );
    this.name = 'RuleSetsInvalid';
  }
}

export interface LoadedRuleSets {
  readonly directory: string;
  readonly ruleSets: ReadonlyMap<string, RuleSet & { readonly file: string }>;
  readonly defaultRuleSetId: string;
  readonly payers: ReadonlyMap<string, string>;
  /** sha-256 of the payer map file: a moved payer re-checks its plans. */
  readonly payerMapHash: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateFile = ajv.compile(RULE_SET_FILE_SCHEMA);
const validatePayers = ajv.compile(PAYER_MAP_SCHEMA);
const validateParams = Object.fromEntries(Object.entries(PARAMS_SCHEMAS).map(([check, schema]) => [check, ajv.compile(schema)]));

const reasonsOf = (errors: ErrorObject[] | null | undefined, prefix = ''): string[] =>
  (errors ?? []).map((error) => {
    const where = `${prefix}${error.instancePath}`.replace(/^\//, '') || '(file)';
    const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const readJson = (path: string, problems: RuleSetProblem[]): { json: unknown; hash: string } | null => {
  const file = basename(path);
  try {
    const bytes = readFileSync(path);
    return { json: JSON.parse(bytes.toString('utf8')) as unknown, hash: sha256(bytes) };
  } catch (error) {
    problems.push({ file, reason: `cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}` });
    return null;
  }
};

/** Rules whose parameters are well-formed but contradict each other. */
const semanticProblems = (rule: Rule): string[] => {
  switch (rule.check) {
    case 'assessment-window':
      return rule.params.warnDays >= rule.params.windowDays ? ['params/warnDays must be less than windowDays'] : [];
    case 'plan-review-interval':
      return rule.params.warnDays >= rule.params.maxIntervalDays ? ['params/warnDays must be less than maxIntervalDays'] : [];
    case 'signed-plan-after-visits':
      return rule.params.warnVisits >= rule.params.afterVisits ? ['params/warnVisits must be less than afterVisits'] : [];
    case 'primary-diagnosis-covered':
      return rule.params.coveredRanges.filter((range) => range.from > range.to).map((range) => `params/coveredRanges ${range.from}-${range.to} runs backwards`);
    default:
      return [];
  }
};

interface RuleSetFile {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly rules: Rule[];
}

const ruleSetOf = (file: string, json: unknown, hash: string, problems: RuleSetProblem[]): (RuleSet & { file: string }) | null => {
  if (!validateFile(json)) {
    for (const reason of reasonsOf(validateFile.errors)) problems.push({ file, reason });
    return null;
  }
  const parsed: RuleSetFile = json;
  const before = problems.length;
  const seen = new Set<string>();
  for (const rule of parsed.rules) {
    if (seen.has(rule.id)) problems.push({ file, rule: rule.id, reason: 'the rule id is used twice' });
    seen.add(rule.id);
    const validate = validateParams[rule.check];
    if (!validate(rule.params)) {
      for (const reason of reasonsOf(validate.errors, 'params')) problems.push({ file, rule: rule.id, reason: `${reason} (check ${rule.check})` });
      continue;
    }
    for (const reason of semanticProblems(rule)) problems.push({ file, rule: rule.id, reason });
  }
  if (`${parsed.id}.json` !== file) problems.push({ file, reason: `the rule set id "${parsed.id}" must match the file name` });
  return problems.length > before ? null : { id: parsed.id, version: parsed.version, title: parsed.title, hash, rules: parsed.rules, file };
};

/** Every rule set and the payer map of `directory`; throws RuleSetsInvalid naming each problem. */
export const loadRuleSets = (directory: string): LoadedRuleSets => {
  const problems: RuleSetProblem[] = [];
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new RuleSetsInvalid(directory, [{ file: directory, reason: `cannot be listed: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const ruleSets = new Map<string, RuleSet & { file: string }>();
  for (const file of files.filter((name) => name !== PAYER_MAP_FILE)) {
    const read = readJson(join(directory, file), problems);
    const ruleSet = read && ruleSetOf(file, read.json, read.hash, problems);
    if (ruleSet) ruleSets.set(ruleSet.id, ruleSet);
  }
  let defaultRuleSetId = '';
  const payers = new Map<string, string>();
  let payerMapHash = '';
  if (!files.includes(PAYER_MAP_FILE)) {
    problems.push({ file: PAYER_MAP_FILE, reason: 'is missing: it names the default rule set and maps payers to rule sets' });
  } else {
    const read = readJson(join(directory, PAYER_MAP_FILE), problems);
    if (read && !validatePayers(read.json)) {
      for (const reason of reasonsOf(validatePayers.errors)) problems.push({ file: PAYER_MAP_FILE, reason });
    } else if (read) {
      const map = read.json as { default: string; payers: Record<string, string> };
      payerMapHash = read.hash;
      defaultRuleSetId = map.default;
      for (const [payerId, ruleSetId] of [['default', map.default], ...Object.entries(map.payers)] as const) {
        if (!ruleSets.has(ruleSetId) && !files.includes(`${ruleSetId}.json`)) {
          problems.push({ file: PAYER_MAP_FILE, reason: `${payerId === 'default' ? 'default' : `payer ${payerId}`} names rule set "${ruleSetId}", which has no file` });
        }
        if (payerId !== 'default') payers.set(payerId, ruleSetId);
      }
    }
  }
  if (problems.length > 0) throw new RuleSetsInvalid(directory, problems);
  return { directory, ruleSets, defaultRuleSetId, payers, payerMapHash };
};

/** The rule set of a payer in a loaded catalogue. */
export const ruleSetForPayer = (loaded: LoadedRuleSets, payerId: string): RuleSet =>
  loaded.ruleSets.get(loaded.payers.get(payerId) ?? loaded.defaultRuleSetId)!;
