// Payload types are derived from the published JSON Schemas, so the two cannot drift: the schema is the
// contract analytics teams read, and the TypeScript type is computed from it at compile time.
//
// Why not ajv's `JSONSchemaType<T>`: it forces every optional property to be `nullable: true`, which makes
// the validator accept `null` where the type says `undefined` — and "add an optional field" is the only
// change our compatibility rule allows inside a version. Why not `json-schema-to-ts` or TypeBox: neither is
// a dependency of the workspace. `FromSchema` below covers exactly the keywords our schemas use;
// `schemas.unit.spec.ts` fails if a schema uses any other keyword, so a derived type is never silently
// looser in shape than its schema. Keywords listed in `REFINEMENT_KEYWORDS` narrow values (formats,
// ranges, patterns, cross-field rules in `allOf`/`if`/`then`) without changing the TypeScript shape.

export const SHAPE_KEYWORDS = [
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'oneOf',
] as const;

export const REFINEMENT_KEYWORDS = [
  'format',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'allOf',
  'if',
  'then',
] as const;

export const ANNOTATION_KEYWORDS = ['$id', '$schema', 'title', 'description', 'examples'] as const;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type PrimitiveOf<T> = T extends 'string'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : never;

type RequiredKeysOf<S> = S extends { readonly required: readonly (infer K)[] } ? K : never;

type ObjectOf<P, R> = Simplify<
  { readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } & {
    readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]>;
  }
>;

type UnionOf<B> = B extends unknown ? FromSchema<B> : never;

/** The TypeScript type of the values a JSON Schema (declared `as const`) accepts. */
export type FromSchema<S> = S extends { readonly const: infer C }
  ? C
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly oneOf: readonly (infer B)[] }
      ? UnionOf<B>
      : S extends { readonly type: 'object'; readonly properties: infer P }
        ? ObjectOf<P, RequiredKeysOf<S>>
        : S extends { readonly type: 'array'; readonly items: infer I }
          ? readonly FromSchema<I>[]
          : S extends { readonly type: readonly (infer T)[] }
            ? PrimitiveOf<T>
            : S extends { readonly type: infer T }
              ? PrimitiveOf<T>
              : never;

/** A JSON Schema value as this library writes it (draft-07, plain JSON). */
export type JsonSchema = { readonly [keyword: string]: unknown };
