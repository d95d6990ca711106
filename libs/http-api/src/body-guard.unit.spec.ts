import { guardBody } from './body-guard';
import { jsonDepthProblem } from './json-depth';
import { problemOf } from './problem-details.filter';
import { REQUEST_LIMITS } from './request-limits';
import { normaliseText, textProblemOf } from './text-policy';

const refusal = (body: unknown) => {
  try {
    guardBody(body);
  } catch (error) {
    const { code, status, problems } = problemOf(error);
    return { code, status, problems };
  }
  return null;
};

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

describe('the request-body guard', () => {
  test('a body within every limit passes, its strings normalised in place', () => {
    const body = { note: 'Cafe\u0301\r\nline two', list: ['e\u0301'], deep: nested(REQUEST_LIMITS.maxDepth - 1) };
    expect(refusal(body)).toBeNull();
    expect(body).toEqual({ note: 'Café\nline two', list: ['é'], deep: nested(REQUEST_LIMITS.maxDepth - 1) });
  });

  test(`nesting deeper than ${REQUEST_LIMITS.maxDepth} levels is refused at the level that crosses it, without recursion`, () => {
    expect(refusal(nested(REQUEST_LIMITS.maxDepth))).toBeNull();
    expect(refusal(nested(REQUEST_LIMITS.maxDepth + 1))).toEqual({
      code: 'body_too_deep',
      status: 400,
      problems: [{ field: 'a.a.a.a.a.a.a.a.a.a', reason: 'a.a.a.a.a.a.a.a.a.a nests deeper than 10 levels of objects and arrays, the most a body may have.' }],
    });
    // 100,000 levels: a recursive walk (class-transformer's) overflows the stack from about 1,500.
    expect(refusal(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))?.code).toBe('body_too_deep');
  });

  test('an array longer than the limit is refused before any element is looked at', () => {
    const elements = Array.from({ length: 10_000 }, () => ({}));
    expect(refusal({ diagnoses: elements })).toEqual({
      code: 'array_too_long',
      status: 400,
      problems: [{ field: 'diagnoses', reason: 'diagnoses has 10000 elements; no list may have more than 200.' }],
    });
  });

  test('more values in all than the limit are refused, however they are spread', () => {
    const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, Array.from({ length: 150 }, () => 1)]));
    expect(refusal(wide)).toEqual({
      code: 'body_too_many_values',
      status: 400,
      problems: [{ field: '(body)', reason: `The request body has more than ${REQUEST_LIMITS.maxValues} values in all.` }],
    });
  });

  test('a string longer than the limit, and a property name longer than its limit, are refused naming the field', () => {
    expect(refusal({ items: [{ text: 'x'.repeat(REQUEST_LIMITS.maxStringLength + 1) }] })).toEqual({
      code: 'string_too_long',
      status: 400,
      problems: [{ field: 'items[0].text', reason: 'items[0].text is longer than 10000 characters, the most any text may have.' }],
    });
    expect(refusal({ ['k'.repeat(101)]: 1 })?.code).toBe('property_name_too_long');
  });

  test.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])('the prototype key %s is refused, not silently dropped', (key) => {
    expect(refusal(JSON.parse(`{"service":{"${key}":{"polluted":true}}}`))).toEqual({
      code: 'prototype_key',
      status: 400,
      problems: [{ field: `service.${key}`, reason: `service.${key} is not accepted: "${key}" is never a field of a Golden Loop request.` }],
    });
  });

  test.each([
    ['NUL', 'a\u0000b', 'text_unstorable'],
    ['a lone high surrogate', 'a\ud800b', 'text_unstorable'],
    ['a lone low surrogate', 'a\udc00b', 'text_unstorable'],
    ['BEL', 'a\u0007b', 'text_control_character'],
    ['ESC', '\u001b[31mred', 'text_control_character'],
    ['a C1 control', 'a\u0085b', 'text_control_character'],
    ['RLO (Trojan Source)', 'dose 10\u202e gm 01', 'text_bidi_control'],
    ['an isolate', '\u2067abc\u2069', 'text_bidi_control'],
    ['zero-width text only', '\u200b\u200b', 'text_invisible'],
    ['a BOM and spaces only', ' \ufeff ', 'text_invisible'],
  ])('text with %s is refused with its code', (_, text, code) => {
    expect(refusal({ presentingProblem: text })?.code).toBe(code);
  });

  test('the text policy checks property names too, naming the object, not echoing the name', () => {
    expect(refusal({ goal: { 'a\u0000': 1 } })).toEqual({
      code: 'text_unstorable',
      status: 400,
      problems: [{ field: 'goal', reason: 'goal has a property name that contains a NUL character (U+0000), which cannot be stored.' }],
    });
  });
});

describe('the text policy', () => {
  test.each([
    ['tabs and line breaks', 'line one\n\tline two\r\n'],
    ['right-to-left text without controls', 'אני רוצה לחזור לעבודה'],
    ['an emoji sequence with zero-width joiners', 'family 👨‍👩‍👧'],
    ['a zero-width non-joiner inside Persian', 'می‌خواهم'],
    ['left-to-right and right-to-left marks', 'abc\u200e'],
    ['white space only (the domain decides what blank means)', '   '],
    ['the empty string', ''],
  ])('%s is accepted', (_, text) => {
    expect(textProblemOf(text)).toBeNull();
  });

  test('text is kept in NFC with LF line breaks', () => {
    expect(normaliseText('e\u0301\r\nf\rg')).toBe('é\nf\ng');
    expect(normaliseText('plain ascii')).toBe('plain ascii');
  });
});

describe('nesting, checked on the raw bytes before JSON.parse', () => {
  const scanned = (text: string) => {
    const problem = jsonDepthProblem(Buffer.from(text));
    return problem === null ? null : problemOf(problem).problems;
  };
  const guarded = (text: string) => {
    try {
      guardBody(JSON.parse(text));
    } catch (error) {
      return problemOf(error).problems;
    }
    return null;
  };

  test.each([
    `{"a":${'['.repeat(20)}${']'.repeat(20)}}`,
    `[1,[2,{"k":[${'{"x":'.repeat(12)}1${'}'.repeat(12)}]}]]`,
    `{"s":"[[[[[[[[[[[[[[[[","t":{"\\"[":${'['.repeat(12)}${']'.repeat(12)}}}`,
    `{"é":{"b":[0,0,{"c":${'['.repeat(12)}${']'.repeat(12)}}]}}`,
  ])('refuses %s naming the same path as the guard', (text) => {
    expect(scanned(text)).not.toBeNull();
    expect(scanned(text)).toEqual(guarded(text));
  });

  test('takes a body within the limit, brackets inside strings not counted', () => {
    expect(scanned(JSON.stringify({ a: '['.repeat(50), b: nested(REQUEST_LIMITS.maxDepth - 1) }))).toBeNull();
  });

  test('100,000 levels cost one pass, and no stack', () => {
    expect(scanned(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual([
      { field: '[0][0][0][0][0][0][0][0][0][0]', reason: '[0][0][0][0][0][0][0][0][0][0] nests deeper than 10 levels of objects and arrays, the most a body may have.' },
    ]);
  });
});
