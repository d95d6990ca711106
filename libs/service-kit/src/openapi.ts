import { writeFileSync } from 'node:fs';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocumentOf, type ServiceDescription } from './create-service-app';

/**
 * The OpenAPI document of a service module without starting it: Nest's preview mode builds the module graph but
 * instantiates no provider, so no database or broker is needed (the committed `openapi.json` and its test).
 */
export const openApiDocumentFor = async (module: Type<unknown>, description: ServiceDescription): Promise<OpenAPIObject> => {
  const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocumentOf(app, description);
  } finally {
    await app.close();
  }
};

/** The document as committed: sorted keys are not needed, the generator is deterministic; two-space JSON and a newline. */
export const renderOpenApi = (document: OpenAPIObject): string => `${JSON.stringify(document, null, 2)}\n`;

/** `npm run openapi`: writes a service's `openapi.json`. */
export const writeOpenApiDocument = async (module: Type<unknown>, description: ServiceDescription, file: string): Promise<void> => {
  writeFileSync(file, renderOpenApi(await openApiDocumentFor(module, description)));
};
