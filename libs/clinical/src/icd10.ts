/** ICD-10-CM diagnosis codes: format and payer coverage as a primary diagnosis. */

export interface Icd10Code {
  /** Canonical form: upper case, with the dot after the category when there is a subcategory (F32.1). */
  readonly code: string;
  /** The three-character category (F32). */
  readonly category: string;
  /** The characters after the dot, or '' for a bare category. */
  readonly subcategory: string;
}

export type Icd10Parsed =
  | { readonly ok: true; readonly value: Icd10Code }
  | { readonly ok: false; readonly code: 'diagnosis_code_malformed'; readonly reason: string };

// CMS ICD-10-CM Official Guidelines, I.A: a code is 3 to 7 characters; the first is a letter, the second a
// digit, the rest letters or digits; a dot follows the third character when more follow. Claims (X12 837)
// carry the code without the dot, so a dotless code is accepted and put in the dotted form.
const ICD10_CM = /^([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?$/;

const malformed = (reason: string): Icd10Parsed => ({ ok: false, code: 'diagnosis_code_malformed', reason });

export const parseIcd10Code = (input: unknown): Icd10Parsed => {
  if (typeof input !== 'string' || input.trim() === '') {
    return malformed('An ICD-10-CM code is needed, such as F32.1.');
  }
  const text = input.trim().toUpperCase();
  if (text.endsWith('.')) {
    return malformed(`"${input}" ends with a dot; write the category alone (F32) or add its subcategory (F32.1).`);
  }
  const match = ICD10_CM.exec(text);
  if (!match) {
    return malformed(
      `"${input}" is not an ICD-10-CM code: a letter, a digit and a letter or digit (F32), optionally a dot and 1 to 4 more letters or digits (F32.1).`,
    );
  }
  const category = match[1];
  const subcategory = match[2] ?? '';
  return { ok: true, value: { code: subcategory ? `${category}.${subcategory}` : category, category, subcategory } };
};

/** An inclusive range of three-character categories, e.g. F01-F99. */
export interface Icd10Range {
  readonly from: string;
  readonly to: string;
}

// docs/clinical-rules.md, "Payer medical-necessity checks": mental, behavioural and neurodevelopmental disorders (ICD-10-CM chapter 5, F01-F99)
// are covered as a primary diagnosis; Z-codes (factors influencing health status) are not.
export const DEFAULT_COVERED_PRIMARY_RANGES: readonly Icd10Range[] = [{ from: 'F01', to: 'F99' }];

export const isCoveredPrimaryDiagnosis = (
  code: string,
  coveredRanges: readonly Icd10Range[] = DEFAULT_COVERED_PRIMARY_RANGES,
): boolean => {
  const parsed = parseIcd10Code(code);
  if (!parsed.ok) return false;
  const { category } = parsed.value;
  return coveredRanges.some(
    (range) => category >= range.from.trim().toUpperCase() && category <= range.to.trim().toUpperCase(),
  );
};
