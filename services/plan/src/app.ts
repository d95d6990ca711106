import { ErrorBodyFilter, requestValidationPipe } from '@golden-loop/http-api';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { explainPlanError } from './api/plan-errors';
import { PlanModule } from './plan.module';

/** The plan service, configured the same way for `main.ts`, the integration tests and the benchmark. */
export const createPlanApp = async (options: { logger?: false } = {}): Promise<INestApplication> => {
  const app = await NestFactory.create(PlanModule, { logger: options.logger, bufferLogs: false });
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new ErrorBodyFilter(explainPlanError));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Golden Loop — treatment plan service')
      .setDescription('The event-sourced treatment plan: commands, the plan with its advisories, its history and timeline.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
};
