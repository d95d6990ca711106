import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleSets, RuleSetsInvalid, ruleSetForPayer } from './rule-set-loader';

const shipped = join(__dirname, '..', '..', 'rule-sets');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rule-sets-'));
  cpSync(shipped, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const edit = (file: string, change: (json: Record<string, unknown>) => void) => {
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  change(json);
  writeFileSync(join(dir, file), JSON.stringify(json));
};
const problemsOf = () => {
  try {
    loadRuleSets(dir);
  } catch (error) {
    if (error instanceof RuleSetsInvalid) return { message: error.message, problems: error.problems };
    throw error;
  }
  throw new Error('the rule sets loaded');
};

describe('payer rule sets are validated when loaded', () => {
  test('the shipped files load; payers map to their rule set, others to the default', () => {
    const loaded = loadRuleSets(shipped);
    expect(ruleSetForPayer(loaded, 'a1000000-0000-4000-8000-000000000001').id).toBe('medicaid-standard');
    expect(ruleSetForPayer(loaded, 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04').id).toBe('commercial-default');
    expect(loaded.ruleSets.get('medicaid-standard')!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a bad parameter names the file, the rule and the reason', () => {
    edit('medicaid-standard.json', (json) => {
      (json.rules as { id: string; params: Record<string, unknown> }[]).find((r) => r.id === 'medicaid.assessment-within-30-days')!.params.windowDays = 0;
    });
    expect(problemsOf().problems).toEqual([
      { file: 'medicaid-standard.json', rule: 'medicaid.assessment-within-30-days', reason: 'params/windowDays must be >= 1 (check assessment-window)' },
    ]);
    expect(problemsOf().message).toContain('medicaid-standard.json: rule medicaid.assessment-within-30-days: params/windowDays must be >= 1');
  });

  test.each([
    ['an unknown check', (json: Record<string, unknown>) => ((json.rules as Record<string, unknown>[])[0].check = 'vibes'), 'rules/0/check must be equal to one of the allowed values'],
    ['a rule without a source', (json: Record<string, unknown>) => delete (json.rules as Record<string, unknown>[])[0].source, "rules/0 must have required property 'source'"],
    ['a duplicated rule id', (json: Record<string, unknown>) => (json.rules as Record<string, unknown>[]).push((json.rules as Record<string, unknown>[])[0]), 'the rule id is used twice'],
    ['a warning window as long as the window', (json: Record<string, unknown>) => {
      const rule = (json.rules as { check: string; params: Record<string, number> }[]).find((r) => r.check === 'assessment-window')!;
      rule.params.warnDays = rule.params.windowDays;
    }, 'params/warnDays must be less than windowDays'],
  ])('%s is refused', (_, change, reason) => {
    edit('medicaid-standard.json', change);
    expect(problemsOf().problems.map((p) => p.reason)).toContain(reason);
  });

  test('a payer mapped to a rule set with no file is refused', () => {
    edit('payers.json', (json) => ((json.payers as Record<string, string>)['b1000000-0000-4000-8000-000000000009'] = 'nowhere'));
    expect(problemsOf().problems).toEqual([{ file: 'payers.json', reason: 'payer b1000000-0000-4000-8000-000000000009 names rule set "nowhere", which has no file' }]);
  });

  test('a file that is not JSON is refused by name', () => {
    writeFileSync(join(dir, 'broken.json'), '{ nope');
    expect(problemsOf().problems[0]).toMatchObject({ file: 'broken.json', reason: expect.stringContaining('cannot be read as JSON') });
  });
});
