/**
 * The generic limits every service's HTTP edge applies to every request, before any DTO, pipe or handler runs
 * (docs/input-limits.md gives the reasons for each value). They are named here once: the body parser, the body
 * guard, the paging decorators and the documentation read them from this object.
 *
 * They are deliberately far above what any Golden Loop request needs (the plan service's largest body, OpenPlan
 * with every list full, is about 540 values, 3 levels deep, with arrays of at most 50): they only stop bodies
 * that no client sends by mistake, cheaply, and leave the precise limits to each field's DTO and domain.
 */
export const REQUEST_LIMITS = {
  /** Bytes of a JSON body after decompression; a larger one is refused with 413 before it is parsed. */
  maxBodyBytes: 100 * 1024,
  /** Nesting of objects and arrays: `{}` is 1 level, `{"a":[{}]}` 3. */
  maxDepth: 10,
  /** Elements of any one array. */
  maxArrayLength: 200,
  /** Values in the whole body: every object, array, string, number, boolean and null, at every level. */
  maxValues: 2_000,
  /** UTF-16 code units of any one string value (after NFC normalisation). */
  maxStringLength: 10_000,
  /** UTF-16 code units of any one property name. */
  maxKeyLength: 100,
  /** The highest page a paged query may ask for (`?page=`). */
  maxPage: 10_000,
  /** The most items a page may hold (`?pageSize=`). */
  maxPageSize: 200,
} as const;

export type RequestLimits = { readonly [K in keyof typeof REQUEST_LIMITS]: number };
