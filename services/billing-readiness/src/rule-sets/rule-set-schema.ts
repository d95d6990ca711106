import { CLINICIAN_CREDENTIALS, INSTRUMENTS } from '@golden-loop/contracts';
import { RULE_CHECKS, type RuleCheck } from '../domain/rule-set';

// The shape of a rule-set file and of each check's parameters (docs/payer-rules.md, "Rule-set files").

const ruleSetId = { type: 'string', pattern: '^[a-z0-9]+([.-][a-z0-9]+)*$', maxLength: 60 } as const;
const none = { type: 'object', additionalProperties: false, properties: {} } as const;
const days = { type: 'integer', minimum: 1, maximum: 3650 } as const;
const credentials = { type: 'array', items: { enum: CLINICIAN_CREDENTIALS }, minItems: 1, uniqueItems: true } as const;
const category = { type: 'string', pattern: '^[A-Z][0-9][0-9A-Z]$' } as const;

const params = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

export const PARAMS_SCHEMAS: Readonly<Record<RuleCheck, object>> = {
  'primary-diagnosis-covered': params({
    coveredRanges: { type: 'array', minItems: 1, items: params({ from: category, to: category }) },
  }),
  'goals-linked-to-diagnosis': none,
  'active-goal-required': none,
  'active-goal-focus': params({ maxActiveGoals: { type: 'integer', minimum: 1, maximum: 50 } }),
  'objectives-measurable': none,
  'objective-target-dates': none,
  'interventions-documented': none,
  'service-parameters-stated': none,
  'revision-signed': none,
  'clinician-credentials': params({ accepted: credentials }),
  'clinical-change-answered': none,
  'plan-update-task-not-overdue': none,
  'assessment-window': params(
    { windowDays: days, warnDays: { type: 'integer', minimum: 0, maximum: 3650 }, instruments: { type: 'array', items: { enum: Object.keys(INSTRUMENTS) }, minItems: 1, uniqueItems: true } },
    ['windowDays', 'warnDays'],
  ),
  'plan-review-interval': params({ maxIntervalDays: days, warnDays: { type: 'integer', minimum: 0, maximum: 3650 } }),
  'authorization-required': none,
  'authorization-capacity': params({ lowSessions: { type: 'integer', minimum: 0, maximum: 100 }, endingSoonDays: { type: 'integer', minimum: 0, maximum: 365 } }),
  'signed-plan-after-visits': params(
    { afterVisits: { type: 'integer', minimum: 1, maximum: 1000 }, warnVisits: { type: 'integer', minimum: 0, maximum: 1000 }, accepted: credentials },
    ['afterVisits', 'warnVisits'],
  ),
};

export const RULE_SET_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'title', 'rules'],
  properties: {
    $comment: { type: 'string' },
    id: ruleSetId,
    version: { type: 'integer', minimum: 1 },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    rules: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'check', 'params', 'source'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9]+([._:-][a-z0-9]+)*$', maxLength: 80 },
          check: { enum: RULE_CHECKS },
          params: { type: 'object' },
          source: { type: 'string', minLength: 3, maxLength: 500 },
          severity: { enum: ['error', 'warning'] },
        },
      },
    },
  },
} as const;

export const PAYER_MAP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['default', 'payers'],
  properties: {
    $comment: { type: 'string' },
    default: ruleSetId,
    payers: {
      type: 'object',
      propertyNames: { pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
      additionalProperties: ruleSetId,
    },
  },
} as const;
