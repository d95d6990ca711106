import { parseHistoryLine } from './plan-history.line';
import { stepsOf } from './plan-history.steps';
import { sampleHistories } from './sample-histories';

// The NDJSON line parser (docs/import.md): the API's DTOs and limits, the text policy, the dates a history needs.

const aLine = (change: (history: Record<string, unknown>) => void = () => undefined, seed = 7): string => {
  const history = JSON.parse([...sampleHistories({ plans: 1, minWeeks: 20, maxWeeks: 20, seed, until: Date.parse('2026-06-01T00:00:00Z') })][0]) as Record<string, unknown>;
  change(history);
  return JSON.stringify(history);
};

const problemsOf = (text: string) => {
  const parsed = parseHistoryLine(text);
  if (parsed.ok) throw new Error('expected the line to be refused');
  return parsed.problems;
};

describe('parseHistoryLine', () => {
  test('a generated history is read, with its ids and dates as given', () => {
    const text = aLine();
    const parsed = parseHistoryLine(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const given = JSON.parse(text) as { planId: string; assessments: unknown[] };
    expect(parsed.history.planId).toBe(given.planId);
    expect(parsed.history.assessments).toHaveLength(given.assessments.length);
  });

  test('upper-case ids are kept lower-case, as the API keeps them', () => {
    const parsed = parseHistoryLine(aLine((h) => (h.planId = String(h.planId).toUpperCase())));
    expect(parsed.ok && parsed.history.planId).toBe(JSON.parse(aLine()).planId);
  });

  test.each([
    ['not JSON', '{"planId": ', '(line)', /is not JSON/],
    ['an array', '[]', '(line)', /must be a JSON object/],
    ['a NUL in free text', aLine((h) => (h.presentingProblem = 'a\u0000b')), 'presentingProblem', /text_unstorable/],
    ['a bidi override', aLine((h) => (h.strengths = ['a\u202Eb'])), 'strengths[0]', /text_bidi_control/],
    ['a presenting problem past TEXT_LIMITS', aLine((h) => (h.presentingProblem = 'x'.repeat(4001))), 'presentingProblem', /4000/],
    ['an unknown field', aLine((h) => (h.favouriteColour = 'blue')), 'favouriteColour', /should not exist/],
    ['a planId that is not a UUID', aLine((h) => (h.planId = 'plan-1')), 'planId', /UUID/],
    ['an assessment without administeredAt', aLine((h) => delete (h.assessments as Record<string, unknown>[])[2].administeredAt), 'assessments[2].administeredAt', /required/],
    ['a signature without signedAt', aLine((h) => delete (h.revisions as { signatures: Record<string, unknown>[] }[])[0].signatures[1].signedAt), 'revisions[0].signatures[1].signedAt', /required/],
    ['a date without its offset', aLine((h) => (h.openedAt = '2026-01-05T09:00:00')), 'openedAt', /.+/],
    ['revisions out of order', aLine((h) => ((h.revisions as { revision: number }[])[1].revision = 3)), 'revisions[1].revision', /must be 2/],
    ['revision 2 without its reason', aLine((h) => delete (h.revisions as Record<string, unknown>[])[1].reason), 'revisions[1].reason', /required/],
    ['too many diagnoses', aLine((h) => (h.diagnoses = Array.from({ length: 26 }, (_, i) => ({ code: `F4${i}`, rank: 'secondary', description: 'x' })))), 'diagnoses', /no more than 25/],
    ['a prototype key', '{"__proto__": {"x": 1}}', '__proto__', /prototype_key/],
  ])('%s is refused, naming the field', (_, text, field, reason) => {
    const [problem] = problemsOf(text);
    expect(problem.field).toBe(field);
    expect(problem.reason).toMatch(reason);
  });

  test('a refused line still names its plan when it can', () => {
    const text = aLine((h) => (h.presentingProblem = 'x'.repeat(4001)));
    const parsed = parseHistoryLine(text);
    expect(!parsed.ok && parsed.planId).toBe(JSON.parse(text).planId);
  });
});

describe('stepsOf', () => {
  test('a history becomes the API commands in the order things happened, the plan opened first', () => {
    const parsed = parseHistoryLine(aLine());
    if (!parsed.ok) throw new Error('expected a valid line');
    const steps = stepsOf(parsed.history);
    expect(steps[0].command.type).toBe('OpenPlan');
    expect(steps.map((s) => s.at)).toEqual([...steps.map((s) => s.at)].sort());
    const types = steps.map((s) => s.command.type);
    // Revision 1 drafted (a goal, an objective, an intervention), a review revision proposed and signed by both.
    expect(types.slice(1, 4)).toEqual(['AddGoal', 'AddObjective', 'AddIntervention']);
    expect(types.filter((t) => t === 'SignRevision')).toHaveLength(4);
    expect(types.filter((t) => t === 'ProposeRevision')).toHaveLength(1);
    expect(types.indexOf('ProposeRevision')).toBeLessThan(types.lastIndexOf('SignRevision'));
    expect(types.filter((t) => t === 'RecordAssessment').length).toBeGreaterThanOrEqual(20);
  });

  test('the same line always gives the same steps (what resuming counts on)', () => {
    const parse = () => {
      const parsed = parseHistoryLine(aLine());
      if (!parsed.ok) throw new Error('expected a valid line');
      return stepsOf(parsed.history);
    };
    expect(parse()).toEqual(parse());
  });
});
