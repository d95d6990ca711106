// What a string in a request may contain, and the form it is kept in (docs/input-limits.md, "Text").
//
// Every string of a body and of the query string passes here. Identifiers, codes, enums and dates have their own
// exact syntax besides (IsId, IsIn, IsCalendarDate, ...), which none of the characters refused here can match, so
// these rules are the free-text rules and cost the other kinds nothing.

/** The refusals of the text policy, each a stable problem code (docs/errors.md). */
export type TextProblemCode = 'text_unstorable' | 'text_control_character' | 'text_bidi_control' | 'text_invisible';

export interface TextProblem {
  readonly code: TextProblemCode;
  /** Completes "<field> ...". */
  readonly reason: string;
}

// C0 controls but tab, line feed and carriage return; DEL; the C1 controls (Unicode general category Cc).
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Explicit embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI): UAX #9 §2.1-2.4.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
// Text made only of white space and default-ignorable code points (zero-width space and joiners, word joiner,
// soft hyphen, BOM, variation selectors, Hangul fillers, tags, ...), with at least one of the latter.
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]+$/u;
const WHITE_SPACE_ONLY = /^\p{White_Space}*$/u;
// A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed, ES2024).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePoint = (character: string): string => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

// Printable ASCII, tab and line breaks: most strings (ids, codes, dates, much text) are this and need no more checks.
const PLAIN = /^[\u0020-\u007E\t\n\r]*$/;

/** Why a string cannot be accepted as it is, or null when it can. */
export const textProblemOf = (value: string): TextProblem | null => {
  if (PLAIN.test(value)) return null;
  // PostgreSQL's jsonb (and text) cannot hold NUL; a lone surrogate is not Unicode text and is refused at the insert.
  if (value.includes('\u0000')) return { code: 'text_unstorable', reason: 'contains a NUL character (U+0000), which cannot be stored' };
  if (LONE_SURROGATE.test(value)) {
    return { code: 'text_unstorable', reason: 'contains a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not text and cannot be stored' };
  }
  const control = CONTROL.exec(value);
  if (control) {
    return {
      code: 'text_control_character',
      reason: `contains the control character ${codePoint(control[0])}; text may hold tab, line feed and carriage return, no other control`,
    };
  }
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) {
    return {
      code: 'text_bidi_control',
      reason:
        `contains the bidirectional formatting character ${codePoint(bidi[0])}, which can make text display differently ` +
        'from what is stored; right-to-left text needs none (the display orders it), so send it without',
    };
  }
  if (INVISIBLE_ONLY.test(value) && !WHITE_SPACE_ONLY.test(value)) {
    return { code: 'text_invisible', reason: 'has no visible character, only zero-width or other invisible formatting characters' };
  }
  return null;
};

/**
 * The form a string is kept in: Unicode NFC (canonically equivalent spellings compare equal, W3C Character Model
 * §2.2), and every line break as LF. Trimming and blank checks are the domain's (an empty string may mean "none").
 */
export const normaliseText = (value: string): string => {
    const ascii = /^[\u0020-\u007E\u0009\u000A]*$/.test(value);
  return ascii ? value : value.normalize('NFC').replace(/\r\n?/g, '\n');
};
