import fc from 'fast-check';
import { isCoveredPrimaryDiagnosis, parseIcd10Code } from './icd10';

describe('ICD-10-CM codes', () => {
  test.each([
    ['F32.1', 'F32.1', 'F32', '1'],
    ['F41.1', 'F41.1', 'F41', '1'],
    ['Z63.0', 'Z63.0', 'Z63', '0'],
    ['F32', 'F32', 'F32', ''],
    ['F43.10', 'F43.10', 'F43', '10'],
    ['T74.11XA', 'T74.11XA', 'T74', '11XA'],
    ['f32.1', 'F32.1', 'F32', '1'],
    [' F41.1 ', 'F41.1', 'F41', '1'],
    ['F321', 'F32.1', 'F32', '1'],
  ])('%j is a well-formed code, written %s', (input, code, category, subcategory) => {
    expect(parseIcd10Code(input)).toEqual({ ok: true, value: { code, category, subcategory } });
  });

  test.each([
    ['an empty code', ''],
    ['blank text', '   '],
    ['a category of two characters', 'F3'],
    ['a digit first', '332.1'],
    ['a letter second', 'FA2.1'],
    ['a trailing dot', 'F32.'],
    ['five characters after the dot', 'F32.12345'],
    ['two dots', 'F32..1'],
    ['a dash', 'F32-1'],
    ['a DSM-5 numeric code', '296.21'],
    ['punctuation inside', 'F3$.1'],
    ['not text at all', 42],
    ['nothing', undefined],
  ])('%s is rejected with a reason', (_name, input) => {
    const parsed = parseIcd10Code(input);
    expect(parsed).toEqual({ ok: false, code: 'diagnosis_code_malformed', reason: expect.stringMatching(/ICD-10-CM|dot/) });
  });

  test.each([
    ['F32.1', true],
    ['F01.50', true],
    ['F99', true],
    ['F41.1', true],
    ['F00', false],
    ['Z63.0', false],
    ['G47.00', false],
    ['not a code', false],
  ])('%s as a primary diagnosis is covered by default: %s', (code, covered) => {
    expect(isCoveredPrimaryDiagnosis(code)).toBe(covered);
  });

  test('a payer can cover other ranges', () => {
    const ranges = [
      { from: 'F01', to: 'F99' },
      { from: 'Z63', to: 'Z63' },
    ];
    expect(isCoveredPrimaryDiagnosis('Z63.0', ranges)).toBe(true);
    expect(isCoveredPrimaryDiagnosis('F32.1', [{ from: 'F40', to: 'F48' }])).toBe(false);
  });

  test('any letter, digit and alphanumeric with up to four more alphanumerics parses, and parsing is idempotent', () => {
    const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
    const code = fc
      .tuple(
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
        fc.integer({ min: 0, max: 9 }),
        alnum,
        fc.array(alnum, { minLength: 0, maxLength: 4 }),
      )
      .map(([letter, digit, third, rest]) => `${letter}${digit}${third}${rest.length ? `.${rest.join('')}` : ''}`);
    fc.assert(
      fc.property(code, (text) => {
        const parsed = parseIcd10Code(text);
        return parsed.ok && parsed.value.code === text && parseIcd10Code(parsed.value.code).ok;
      }),
    );
  });
});

describe('ICD-10-CM rejections a clinician can act on', () => {
  test.each([
    ['an empty code', ''],
    ['blank text', '   '],
    ['not text at all', 42],
  ])('%s asks for a code', (_name, input) => {
    expect(parseIcd10Code(input)).toEqual({
      ok: false,
      code: 'diagnosis_code_malformed',
      reason: 'An ICD-10-CM code is needed, such as F32.1.',
    });
  });

  // CMS ICD-10-CM Official Guidelines, I.A: the dot only separates the category from characters that follow it.
  test('a trailing dot says to write the category alone or add its subcategory', () => {
    expect(parseIcd10Code('F32.')).toMatchObject({
      ok: false,
      reason: '"F32." ends with a dot; write the category alone (F32) or add its subcategory (F32.1).',
    });
  });

  test('a code of the wrong shape says what the shape is', () => {
    expect(parseIcd10Code('296.21')).toMatchObject({
      ok: false,
      reason:
        '"296.21" is not an ICD-10-CM code: a letter, a digit and a letter or digit (F32), optionally a dot and 1 to 4 more letters or digits (F32.1).',
    });
  });

  test("a payer's covered range is read whatever its case and surrounding spaces", () => {
    expect(isCoveredPrimaryDiagnosis('F32.1', [{ from: ' f01 ', to: ' f99 ' }])).toBe(true);
    expect(isCoveredPrimaryDiagnosis('F32.1', [{ from: 'F32 ', to: 'F32 ' }])).toBe(true);
    expect(isCoveredPrimaryDiagnosis('F32.1', [{ from: 'F33 ', to: ' f99' }])).toBe(false);
  });
});
