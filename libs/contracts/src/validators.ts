import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { CatalogueEntry } from './catalogue';
import { headersSchemaOf } from './headers';

// One ajv instance for the process, one compiled validator per schema, compiled on first use.
// allErrors: a DLQ entry that lists every broken field saves a round trip with the producing team;
// producers are our own services, so the cost of collecting all errors on hostile input is bounded.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['uuid', 'date-time', 'date']);

interface EntryValidators {
  readonly payload: ValidateFunction;
  readonly headers: ValidateFunction;
}

const compiled = new Map<string, EntryValidators>();

export const validatorsOf = (entry: CatalogueEntry): EntryValidators => {
  let validators = compiled.get(entry.type);
  if (!validators) {
    validators = { payload: ajv.compile(entry.payloadSchema), headers: ajv.compile(headersSchemaOf(entry)) };
    compiled.set(entry.type, validators);
  }
  return validators;
};
