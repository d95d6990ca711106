import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { openApiDocumentFor, renderOpenApi, type ServiceDescription } from '@golden-loop/service-kit';
import type { Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

interface SchemaLike {
  readonly type?: string | string[];
  readonly $ref?: string;
  readonly properties?: Record<string, SchemaLike>;
  readonly items?: SchemaLike;
  readonly allOf?: SchemaLike[];
  readonly oneOf?: SchemaLike[];
  readonly anyOf?: SchemaLike[];
  readonly enum?: unknown[];
  readonly additionalProperties?: unknown;
}

/** Validates a document against the OpenAPI specification with a real validator (swagger-parser); throws on error. */
export const validateOpenApi = async (document: OpenAPIObject): Promise<void> => {
  await SwaggerParser.validate(structuredClone(document) as never);
};

/**
 * Properties documented as a bare `object` (no properties, no reference, not declared a map with
 * `additionalProperties`): what Nest's Swagger plugin writes when a TypeScript union or alias hides the real type.
 * Each is `Schema.property`.
 */
export const untypedProperties = (document: OpenAPIObject): string[] => {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaLike>;
  const bare = (schema: SchemaLike | undefined): boolean =>
    schema !== undefined &&
    schema.type === 'object' &&
    schema.properties === undefined &&
    schema.$ref === undefined &&
    schema.allOf === undefined &&
    schema.additionalProperties === undefined;
  return Object.entries(schemas).flatMap(([name, schema]) =>
    Object.entries(schema.properties ?? {})
      .filter(([, property]) => bare(property) || bare(property.items))
      .map(([property]) => `${name}.${property}`),
  );
};

/**
 * The checks every service's OpenAPI document passes, as one jest block: the committed `openapi.json` is what the
 * code serves (`npm run openapi` after an API change), a real validator accepts it, every property is typed.
 * Gives the document to the service's own further tests.
 */
export const describeOpenApiDocument = (service: string, module: Type<unknown>, description: ServiceDescription, committedFile: string): (() => OpenAPIObject) => {
  let document: OpenAPIObject | undefined;
  beforeAll(async () => {
    document = await openApiDocumentFor(module, description);
  });
  const loaded = (): OpenAPIObject => {
    if (!document) throw new Error(`the ${service} document was not loaded`);
    return document;
  };
  describe(`the ${service} service’s OpenAPI document`, () => {
    test('the committed openapi.json is the document the code serves (run `npm run openapi` after an API change)', () => {
      expect(readFileSync(committedFile, 'utf8')).toBe(renderOpenApi(loaded()));
    });
    test('is a valid OpenAPI document', async () => {
      await expect(validateOpenApi(loaded())).resolves.toBeUndefined();
    });
    test('types every property (no bare object where a code, id or date belongs)', () => {
      expect(untypedProperties(loaded())).toEqual([]);
    });
  });
  return loaded;
};
