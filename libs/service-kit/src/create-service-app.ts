import {
  bodyParserErrors,
  correlationMiddleware,
  ProblemDetails,
  ProblemDetailsFilter,
  REQUEST_LIMITS,
  requestBodyGuard,
  requestPreflight,
  requestValidationPipe,
  verifyJsonDepth,
} from '@golden-loop/http-api';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ServiceMetrics } from './metrics';

export interface ServiceDescription {
  /** The OpenAPI title, e.g. `Golden Loop — treatment plan service`. */
  readonly title: string;
  readonly description: string;
  /** The API's version (OpenAPI `info.version`). */
  readonly version: string;
}

/** The service's OpenAPI document, as served at `/docs/openapi.json` and committed as `openapi.json`. */
export const openApiDocumentOf = (app: INestApplication, description: ServiceDescription): OpenAPIObject =>
  SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(description.title)
      .setDescription(description.description)
      .setVersion(description.version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT of the network issuer (docs/security.md)' })
      .build(),
    { extraModels: [ProblemDetails] },
  );

/**
 * Every service's application, configured one way for `main.ts`, the tests and the benches: JSON logs through
 * pino, correlation ids at the edge, request metrics, the request limits and text policy of libs/http-api on every
 * request (docs/input-limits.md), class-validator on every DTO, RFC 9457 problem details for every error,
 * graceful shutdown, and Swagger UI at `/docs`.
 */
export const createServiceApp = async (module: Type<unknown>, description: ServiceDescription): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(correlationMiddleware);
  app.use(app.get(ServiceMetrics).httpMiddleware);
  // In this order: the path and media type before the body is read; the JSON parser (at most maxBodyBytes once
  // decompressed, its nesting checked on the raw bytes before JSON.parse); the guard on the parsed body and the
  // query before any DTO work; the parser's failures as 4xx.
  app.use(requestPreflight);
  app.useBodyParser('json', { limit: REQUEST_LIMITS.maxBodyBytes, verify: verifyJsonDepth });
  app.use(requestBodyGuard);
  app.use(bodyParserErrors);
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, openApiDocumentOf(app, description), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
};
