import fc from 'fast-check';
import type { CatalogueEntry } from '../catalogue';
import type { JsonSchema } from '../json-schema';
import { validatorsOf } from '../validators';

// fast-check arbitraries read off the payload schemas, for property tests here and in consumers. They cover the
// keywords FromSchema covers; cross-field rules (allOf/if/then) are met by filtering through the validator.

const MAX_ITEMS = 3;

const stringOf = (schema: JsonSchema): fc.Arbitrary<string> => {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return fc
        .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    default:
      if (typeof schema.pattern === 'string') {
        const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
        return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= maxLength);
      }
      return fc.string();
  }
};

const ofType = (type: unknown, schema: JsonSchema): fc.Arbitrary<unknown> => {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e6;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e6;
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min, max });
    case 'number':
      // JSON has no -0: it comes back as 0.
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));
    case 'string':
      return stringOf(schema);
    case 'array': {
      const items = arbitraryOf(schema.items as JsonSchema);
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : MAX_ITEMS, MAX_ITEMS));
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const model = Object.fromEntries(Object.entries(properties).map(([name, child]) => [name, arbitraryOf(child)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[], noNullPrototype: true });
    }
    default:
      throw new TypeError(`no arbitrary for JSON Schema type ${String(type)}`);
  }
};

export const arbitraryOf = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as JsonSchema[]).map(arbitraryOf));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return fc.oneof(...types.map((type) => ofType(type, schema)));
};

/** Valid payloads of a catalogue entry. */
export const arbitraryPayloadOf = (entry: CatalogueEntry): fc.Arbitrary<unknown> => {
  const validate = validatorsOf(entry).payload;
  return arbitraryOf(entry.payloadSchema).filter((payload) => validate(payload));
};
