import {
  CATALOGUE,
  CATALOGUE_ENTRIES,
  FIX_CODES,
  FIX_GUIDANCE,
  type AssessmentRecordedV1,
  type GoalAddedV1,
  type JsonSchema,
  type PayloadOf,
  type SymptomsChangedV1,
} from './index';
import { ANNOTATION_KEYWORDS, REFINEMENT_KEYWORDS, SHAPE_KEYWORDS } from './json-schema';
import { SAMPLE_KEYS, sampleEvent } from './testing/sample-events';
import { validatorsOf } from './validators';

interface SchemaNode {
  readonly schema: JsonSchema;
  readonly path: string;
  /** Inside `allOf`/`if`/`then`/`contains`: a partial schema that narrows values, not a shape. */
  readonly refinement: boolean;
}

const childSchemas = (node: SchemaNode): SchemaNode[] => {
  const { schema, path, refinement } = node;
  const children: SchemaNode[] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, child] of Object.entries(properties)) children.push({ schema: child, path: `${path}/${name}`, refinement });
  if (schema.items) children.push({ schema: schema.items as JsonSchema, path: `${path}/items`, refinement });
  for (const [i, branch] of ((schema.oneOf ?? []) as JsonSchema[]).entries())
    children.push({ schema: branch, path: `${path}/oneOf/${i}`, refinement });
  for (const [i, rule] of ((schema.allOf ?? []) as JsonSchema[]).entries())
    children.push({ schema: rule, path: `${path}/allOf/${i}`, refinement: true });
  for (const keyword of ['if', 'then', 'contains'] as const)
    if (schema[keyword]) children.push({ schema: schema[keyword] as JsonSchema, path: `${path}/${keyword}`, refinement: true });
  return children;
};

const nodesOf = (schema: JsonSchema, path = ''): SchemaNode[] => {
  const all: SchemaNode[] = [];
  const visit = (node: SchemaNode): void => {
    all.push(node);
    childSchemas(node).forEach(visit);
  };
  visit({ schema, path, refinement: false });
  return all;
};

const typesOf = (schema: JsonSchema): unknown[] => (Array.isArray(schema.type) ? schema.type : [schema.type]);
const shapeNodes = (schema: JsonSchema) => nodesOf(schema).filter((node) => !node.refinement);

const payloadSchemas = CATALOGUE_ENTRIES.map((entry) => [entry.type, entry.payloadSchema as JsonSchema] as const);

describe('every payload schema is closed and says only ids, codes, numbers and dates', () => {
  test.each(payloadSchemas)('%s: every object rejects properties it does not list', (_, schema) => {
    const objects = shapeNodes(schema).filter((node) => typesOf(node.schema).includes('object'));
    expect(objects.length).toBeGreaterThan(0);
    for (const { schema: object, path } of objects) {
      expect({ path, additionalProperties: object.additionalProperties }).toEqual({ path, additionalProperties: false });
      const listed = Object.keys((object.properties ?? {}));
      for (const name of (object.required ?? []) as string[]) expect(listed).toContain(name);
    }
  });

  test.each(payloadSchemas)('%s: every string is a code, an id or a date (enum, const, format or bounded pattern)', (_, schema) => {
    const strings = shapeNodes(schema).filter((node) => typesOf(node.schema).includes('string'));
    for (const { schema: string, path } of strings) {
      const constrained =
        'enum' in string ||
        'const' in string ||
        ['uuid', 'date', 'date-time'].includes(string.format as string) ||
        ('pattern' in string && typeof string.maxLength === 'number');
      expect({ path, constrained }).toEqual({ path, constrained: true });
    }
  });

  // PHI guard: names, notes and narrative belong in the plan service's own store, never on a topic.
  const FORBIDDEN_WORDS = new Set([
    'name', 'names', 'note', 'notes', 'text', 'texts', 'description', 'desc', 'comment', 'comments', 'narrative',
    'remark', 'remarks', 'wording', 'words', 'statement', 'memo', 'free', 'freetext', 'address', 'phone', 'email',
    'dob', 'birth', 'ssn', 'mrn',
  ]);
  const wordsOf = (property: string) => property.split(/(?=[A-Z])|[_-]/).map((word) => word.toLowerCase());

  test.each(payloadSchemas)('%s: no property is named like name, notes, text, description or comment', (_, schema) => {
    const properties = nodesOf(schema).flatMap((node) => Object.keys((node.schema.properties ?? {})));
    const offending = properties.filter((property) => wordsOf(property).some((word) => FORBIDDEN_WORDS.has(word)));
    expect(offending).toEqual([]);
  });

  test('the PHI guard recognises the names it must refuse', () => {
    expect(['clientName', 'goalText', 'notes', 'clinician_comment', 'description'].map((p) => wordsOf(p).some((w) => FORBIDDEN_WORDS.has(w)))).toEqual([
      true, true, true, true, true,
    ]);
  });

  test.each(payloadSchemas)('%s: uses only keywords FromSchema models or that merely narrow values', (_, schema) => {
    const known = new Set<string>([...SHAPE_KEYWORDS, ...REFINEMENT_KEYWORDS, ...ANNOTATION_KEYWORDS]);
    const unknown = nodesOf(schema).flatMap(({ schema: node, path }) =>
      Object.keys(node).filter((keyword) => !known.has(keyword)).map((keyword) => `${path}/${keyword}`),
    );
    expect(unknown).toEqual([]);
  });

  test.each(payloadSchemas)('%s: cross-field rules only name properties the object has', (_, schema) => {
    const strays = shapeNodes(schema).flatMap(({ schema: object, path }) => {
      const listed = Object.keys((object.properties ?? {}));
      return ((object.allOf ?? []) as JsonSchema[])
        .flatMap((rule) => [rule.if, rule.then] as (JsonSchema | undefined)[])
        .flatMap((part) => Object.keys((part?.properties ?? {})))
        .filter((name) => !listed.includes(name))
        .map((name) => `${path}/${name}`);
    });
    expect(strays).toEqual([]);
  });

  test.each(payloadSchemas)('%s: requires planId, the partition key, as a uuid', (_, schema) => {
    expect(schema.required).toContain('planId');
    expect((schema.properties as Record<string, JsonSchema>).planId).toMatchObject({ type: 'string', format: 'uuid' });
  });
});

/** Every object position in a JSON value, as a path of keys and indexes. */
const objectPaths = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return [path, ...Object.entries(value).flatMap(([key, child]) => objectPaths(child, [...path, key]))];
};

const withExtraPropertyAt = (value: unknown, path: (string | number)[]): unknown => {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const target = path.reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  target.notes = 'free text';
  return copy;
};

describe('samples and strictness', () => {
  test.each(SAMPLE_KEYS)('the %s sample is valid', (key) => {
    const validate = validatorsOf(CATALOGUE[key]).payload;
    expect(validate(sampleEvent(key).payload) ? [] : validate.errors).toEqual([]);
  });

  test.each(SAMPLE_KEYS)('%s: an extra property is rejected at every level of the payload', (key) => {
    const validate = validatorsOf(CATALOGUE[key]).payload;
    const payload = sampleEvent(key).payload;
    const paths = objectPaths(payload);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect({ path, valid: validate(withExtraPropertyAt(payload, path)) }).toEqual({ path, valid: false });
  });

  test.each(CATALOGUE_ENTRIES.map((entry) => [entry.type, entry] as const))('%s: $id, ce_dataschema and ce_type agree', (_, entry) => {
    expect(entry.payloadSchema.$id).toBe(entry.dataschema);
    expect(entry.dataschema).toBe(`urn:goldenloop:contracts:${entry.name}:v${entry.version}`);
    expect(entry.type).toMatch(new RegExp(`^care\\.goldenloop\\.[a-z]+\\.${entry.name}\\.v${entry.version}$`));
  });

  test('every fix code has its standard sentence', () => {
    expect(Object.keys(FIX_GUIDANCE).sort()).toEqual([...FIX_CODES].sort());
  });
});

// Compile-time checks (run by `npm run typecheck`; ts-jest only transpiles): the derived types say what the
// schemas say.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

describe('payload types are derived from the schemas', () => {
  test('SymptomsChanged v1 has exactly the fields and codes of its schema', () => {
    assertType<Equal<keyof SymptomsChangedV1, (typeof CATALOGUE)['SymptomsChanged.v1']['payloadSchema']['required'][number] | 'comparison'>>();
    assertType<Equal<SymptomsChangedV1['comparison'], 'previous_score' | 'no_previous_score' | undefined>>();
    assertType<Equal<SymptomsChangedV1['direction'], 'worsened' | 'improved' | 'unchanged'>>();
    assertType<Equal<SymptomsChangedV1['urgency'], 'routine' | 'urgent'>>();
    assertType<Equal<SymptomsChangedV1['reasons'], readonly ('reliable_change' | 'band_change' | 'safety_flag' | 'non_response' | 'plateau')[]>>();
    assertType<Equal<PayloadOf<'SymptomsChanged', 1>, SymptomsChangedV1>>();
    assertType<Equal<AssessmentRecordedV1['instrument'], 'PHQ-9' | 'GAD-7'>>();
    assertType<Equal<PayloadOf<'PlanOpened'>['payerId'], string | null>>();
    assertType<Equal<PayloadOf<'AuthorizationCheckCompleted'>['findings'][number]['evidence']['revision'], number | undefined>>();
    assertType<Equal<PayloadOf<'ObjectiveAdded'>['measure'] extends infer M ? (M extends { kind: infer K } ? K : M) : never, 'instrument' | 'behavioural' | null>>();
    // @ts-expect-error free text has no field to go in
    const leaky: GoalAddedV1 = { planId: '', goalId: '', revision: 1, diagnosisCodes: [], addedAt: '', goalText: 'x' };
    expect(leaky).toBeDefined();
  });
});
