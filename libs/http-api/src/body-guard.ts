import type { NextFunction, Request, Response } from 'express';
import { REQUEST_LIMITS, type RequestLimits } from './request-limits';
import { RequestRefused } from './request-errors';
import { normaliseText, textProblemOf } from './text-policy';

// The request-body guard (docs/input-limits.md). It runs right after the JSON parser and before any
// class-transformer or class-validator work, walks the parsed body once, iteratively (a body nested 50,000 deep
// costs one loop, never the stack), and refuses the first thing no client sends by mistake, naming its path.
// Strings are normalised in place as they are visited.

/**
 * Property names that reach an object's prototype when a library copies or merges the body (`__proto__`,
 * `constructor`, `prototype`), and the other members of Object.prototype, which class-transformer skips without a
 * word (`toString`, `hasOwnProperty`, ...): refused, never dropped.
 */
export const PROTOTYPE_KEYS: readonly string[] = ['prototype', ...Object.getOwnPropertyNames(Object.prototype)];

/** How a field is named in a problem: `diagnoses[0].code`, as the domain names it. */
const childPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;

const fieldOf = (path: string): string => (path === '' ? '(body)' : path);

interface Frame {
  readonly value: unknown;
  readonly path: string;
  readonly depth: number;
  /** Where the value sits, so a normalised string can be written back. */
  readonly holder?: Record<string, unknown> | unknown[];
  readonly key?: string | number;
}

const refuse = (code: string, path: string, reason: string): RequestRefused =>
  new RequestRefused(code, 400, `${fieldOf(path)} ${reason}.`, fieldOf(path));

/**
 * Checks a string (of a body, a query or a property name) against the text policy; the refusal names `path`.
 * Returns the string in its normalised form.
 */
export const guardedText = (value: string, path: string, limits: RequestLimits = REQUEST_LIMITS): string => {
  // Measured before normalising too: NFC may lengthen a string up to threefold, and normalising 100 kB is work.
  if (value.length > limits.maxStringLength) {
    throw refuse('string_too_long', path, `is longer than ${limits.maxStringLength} characters, the most any text may have`);
  }
  const problem = textProblemOf(value);
  if (problem) throw refuse(problem.code, path, problem.reason);
  const normalised = normaliseText(value);
  if (normalised.length > limits.maxStringLength) {
    throw refuse('string_too_long', path, `is longer than ${limits.maxStringLength} characters, the most any text may have`);
  }
  return normalised;
};

/**
 * Walks a parsed JSON value and refuses, with a 400 naming the path: nesting deeper than `maxDepth`, an array
 * longer than `maxArrayLength`, more than `maxValues` values in all, a string longer than `maxStringLength`, a
 * property name longer than `maxKeyLength` or one of the prototype keys, and text the text policy refuses. Strings
 * are normalised in place (NFC, LF line breaks). The work is linear in the size of the body and stops at the first
 * refusal; an array's length is checked before any of its elements is looked at.
 */
export const guardBody = (body: unknown, limits: RequestLimits = REQUEST_LIMITS): void => {
  const stack: Frame[] = [{ value: body, path: '', depth: 0 }];
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    values += 1;
    if (values > limits.maxValues) {
      throw new RequestRefused('body_too_many_values', 400, `The request body has more than ${limits.maxValues} values in all.`, '(body)');
    }
    const { value, path } = frame;
    if (typeof value === 'string') {
      const normalised = guardedText(value, fieldOf(path), limits);
      if (normalised !== value && frame.holder !== undefined) (frame.holder as Record<string | number, unknown>)[frame.key!] = normalised;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const depth = frame.depth + 1;
    if (depth > limits.maxDepth) throw refuse('body_too_deep', path, `nests deeper than ${limits.maxDepth} levels of objects and arrays, the most a body may have`);
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        throw refuse('array_too_long', path, `has ${value.length} elements; no list may have more than ${limits.maxArrayLength}`);
      }
      if (values + value.length > limits.maxValues) {
        throw new RequestRefused('body_too_many_values', 400, `The request body has more than ${limits.maxValues} values in all.`, '(body)');
      }
      for (let index = value.length - 1; index >= 0; index -= 1) {
        stack.push({ value: value[index], path: childPath(path, index), depth, holder: value, key: index });
      }
      continue;
    }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (values + keys.length > limits.maxValues) {
      throw new RequestRefused('body_too_many_values', 400, `The request body has more than ${limits.maxValues} values in all.`, '(body)');
    }
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index];
      if (PROTOTYPE_KEYS.includes(key)) {
        throw refuse('prototype_key', childPath(path, key), `is not accepted: "${key}" is never a field of a Golden Loop request`);
      }
      // The parent names the fault: the key itself is not echoed until it is known to be harmless text.
      const problem = textProblemOf(key);
      if (problem) throw refuse(problem.code, path, `has a property name that ${problem.reason}`);
      if (key.length > limits.maxKeyLength) {
        throw refuse('property_name_too_long', path, `has a property name longer than ${limits.maxKeyLength} characters (${key.slice(0, 20)}…)`);
      }
      stack.push({ value: object[key], path: childPath(path, key), depth, holder: object, key });
    }
  }
};

/** Express middleware after the JSON parser: guards `request.body` and every query-string value. */
export const requestBodyGuard = (request: Request, _response: Response, next: NextFunction): void => {
  try {
    guardQuery(request);
    if (request.body !== undefined) guardBody(request.body);
    next();
  } catch (error) {
    next(error);
  }
};

/** Query values are strings or lists of strings (express's simple parser): the same text and length rules. */
const guardQuery = (request: Request): void => {
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    // `__proto__[x]=1` is how a nested-query parser is led to a prototype.
    if (PROTOTYPE_KEYS.includes(name.split(/[[.]/)[0])) {
      throw new RequestRefused('prototype_key', 400, `The query parameter ${name.slice(0, 40)} is not accepted.`, name.slice(0, 40));
    }
    if (name.length > REQUEST_LIMITS.maxKeyLength) {
      throw new RequestRefused('property_name_too_long', 400, `A query parameter name is longer than ${REQUEST_LIMITS.maxKeyLength} characters.`, '(query)');
    }
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (values.length > REQUEST_LIMITS.maxArrayLength) {
      throw refuse('array_too_long', name, `is repeated ${values.length} times; no list may have more than ${REQUEST_LIMITS.maxArrayLength}`);
    }
    for (const each of values) if (typeof each === 'string') guardedText(each, name);
  }
};
