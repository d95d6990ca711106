import SwaggerParser from '@apidevtools/swagger-parser';
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
