import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from '@golden-loop/decider';
import { getMetadataStorage } from 'class-validator';
import { RequestInvalid } from './request-errors';

/** `diagnoses[0].code`: array elements in brackets, as the body guard and the domain name fields. */
const childField = (parent: string, property: string): string =>
  parent === '' ? property : /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;

/** class-validator's errors as field problems, nested fields named by their path. */
export const fieldProblemsOf = (errors: readonly ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = childField(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...fieldProblemsOf(error.children ?? [], field)];
  });

/** How every DTO is validated, by the pipe and outside HTTP alike (the import's lines): unknown fields rejected, every problem reported. */
export const DTO_VALIDATION = { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false } as const;

// class-transformer keeps the @Type() of nested DTOs in a storage its index does not export (@nestjs/mapped-types
// reads it the same way).
interface TypeMetadataStorage {
  findTypeMetadata(target: object, propertyName: string): { readonly typeFunction: (options?: unknown) => unknown } | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeMetadataStorage };

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type DtoClass = Function;

interface StructureRule {
  readonly property: string;
  readonly max?: number;
  /** The DTO of the property's elements (or of the property itself, for a nested object). */
  readonly nested?: DtoClass;
  /** `@ValidateNested()` of one object (not `{ each: true }`): the value must be a plain object. */
  readonly single?: boolean;
  /** `@IsOptional()` (or ValidateIf): it may be absent. */
  readonly optional?: boolean;
}

const rulesCache = new Map<DtoClass, readonly StructureRule[]>();
const propertiesCache = new Map<DtoClass, ReadonlySet<string>>();

/** The properties class-validator's whitelist keeps: those with any validation metadata. */
const propertiesOf = (dto: DtoClass): ReadonlySet<string> => {
  let properties = propertiesCache.get(dto);
  if (!properties) {
    properties = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((entry) => entry.propertyName));
    propertiesCache.set(dto, properties);
  }
  return properties;
};

/** The list limits (ArrayMaxSize) and nested DTOs of a DTO class, from class-validator's and class-transformer's metadata. */
const rulesOf = (dto: DtoClass): readonly StructureRule[] => {
  const cached = rulesCache.get(dto);
  if (cached) return cached;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const properties = [...new Set(metadata.map((entry) => entry.propertyName))];
  const rules = properties.flatMap((property): StructureRule[] => {
    const own = metadata.filter((entry) => entry.propertyName === property);
    const maxSize = own.find((entry) => entry.name === 'arrayMaxSize')?.constraints?.[0] as number | undefined;
    const nestedEntry = own.find((entry) => entry.type === 'nestedValidation');
    const nested = nestedEntry ? (defaultMetadataStorage.findTypeMetadata(dto, property)?.typeFunction() as DtoClass | undefined) : undefined;
    if (maxSize === undefined && nested === undefined) return [];
    return [
      {
        property,
        ...(maxSize === undefined ? {} : { max: maxSize }),
        ...(nested ? { nested, single: nestedEntry?.each !== true, optional: own.some((entry) => entry.type === 'conditionalValidation') } : {}),
      },
    ];
  });
  rulesCache.set(dto, rules);
  return rules;
};

const isPlainObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The structure of a body against its DTO, before class-transformer builds an instance per element and
 * class-validator checks each (docs/input-limits.md):
 * - every list against its ArrayMaxSize: a list of 10,000 `{}` where 25 are allowed costs a length comparison, not
 *   10,000 validations and a 10,000-line answer;
 * - every nested DTO (`@ValidateNested()` of one object) that is not optional must be an object: class-validator lets
 *   an absent one through, and the handler then reads a property of undefined (a 500);
 * - no object has a property its DTO does not list (the whitelist, with class-validator's own words): 1,900 unknown
 *   fields cost a set lookup each, not an instance property and a validation error each.
 * Iterative; the body guard has already bounded its depth and size.
 */
export const structuralProblems = (dto: DtoClass, body: unknown): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  const stack: { dto: DtoClass; value: unknown; path: string }[] = [{ dto, value: body, path: '' }];
  while (stack.length > 0) {
    const { dto: type, value, path } = stack.pop()!;
    if (!isPlainObject(value)) continue;
    const known = propertiesOf(type);
    if (known.size > 0) {
      for (const key of Object.keys(value as object)) if (!known.has(key)) problems.push({ field: childField(path, key), reason: `property ${key} should not exist` });
    }
    for (const rule of rulesOf(type)) {
      const property = (value as Record<string, unknown>)[rule.property];
      const field = childField(path, rule.property);
      if (rule.single && !isPlainObject(property)) {
        if (!(rule.optional && (property === undefined || property === null))) problems.push({ field, reason: `${rule.property} must be an object` });
        continue;
      }
      if (Array.isArray(property)) {
        if (rule.max !== undefined && property.length > rule.max) {
          problems.push({ field, reason: `${rule.property} must contain no more than ${rule.max} elements` });
          continue;
        }
        if (rule.nested) property.forEach((element, index) => stack.push({ dto: rule.nested!, value: element, path: `${field}[${index}]` }));
      } else if (rule.nested) {
        stack.push({ dto: rule.nested, value: property, path: field });
      }
    }
  }
  return problems;
};

/**
 * Nest's ValidationPipe turns a path or query string into a number with `+value` before any parameter pipe runs,
 * so `0x1`, `+1`, `1e0` and `" 1"` would all read as 1. Here strings stay strings: the parameter's own pipe
 * (PositiveIntegerParam, UuidParam) parses it strictly, and query DTOs parse with their own rules (IsQueryInteger).
 * Before any transformation, a body's structure is checked against its DTO (structuralProblems).
 */
class StrictValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, _metadata: ArgumentMetadata): unknown {
    return value;
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype !== undefined && this.toValidate(metadata)) {
      const problems = structuralProblems(metadata.metatype, value);
      if (problems.length > 0) throw new RequestInvalid(problems);
    }
    return super.transform(value, metadata);
  }
}

/** class-validator over every DTO: unknown fields are rejected, and each problem names its field and reason. */
export const requestValidationPipe = (): ValidationPipe =>
  new StrictValidationPipe({
    transform: true,
    ...DTO_VALIDATION,
    exceptionFactory: (errors) => new RequestInvalid(fieldProblemsOf(errors)),
  });
