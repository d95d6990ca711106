import type { OpenAPIObject } from '@nestjs/swagger';

// The endpoints of a service as its OpenAPI document describes them: what the hostile-input suite mutates.

/** The part of a JSON Schema (OpenAPI 3.0 flavour) the generators read. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly allOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: Schema;
}

export interface Operation {
  /** `POST /plans/{planId}/assessments`: how reports and options name it. */
  readonly id: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The OpenAPI path template, `/plans/{planId}/assessments`. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  /** The JSON request body's schema, references resolved lazily by `resolve`. */
  readonly body?: Schema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A schema with its `$ref` (and a lone `allOf` wrapper, as Nest writes for a described reference) resolved. */
export const resolverOf =
  (document: OpenAPIObject) =>
  (schema: Schema | undefined): Schema => {
    let current: Schema = schema ?? {};
    for (let hops = 0; hops < 20; hops += 1) {
      if (current.$ref !== undefined) {
        const name = current.$ref.replace('#/components/schemas/', '');
        current = { ...((document.components?.schemas?.[name] ?? {}) as Schema), ...(current.nullable ? { nullable: true } : {}) };
        continue;
      }
      if (current.allOf?.length === 1 && current.type === undefined) {
        current = { ...current.allOf[0], ...(current.nullable ? { nullable: true } : {}) };
        continue;
      }
      return current;
    }
    throw new Error(`a $ref cycle in the OpenAPI document near ${JSON.stringify(schema)}`);
  };

/** Every operation of the document, in its order. */
export const operationsOf = (document: OpenAPIObject): Operation[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method): Operation => {
      const operation = item[method]!;
      const parameters = (operation.parameters ?? []).flatMap((parameter): Parameter[] =>
        'name' in parameter
          ? [{ name: parameter.name, in: parameter.in, required: parameter.required === true || parameter.in === 'path', schema: (parameter.schema ?? {}) }]
          : [],
      );
      const content = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : undefined;
      const body = content?.['application/json']?.schema as Schema | undefined;
      return { id: `${method.toUpperCase()} ${path}`, method, path, parameters, ...(body === undefined ? {} : { body }) };
    }),
  );
