import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { unpublishedOutboxRows } from '@golden-loop/messaging';

/**
 * The plan service in this process without its HTTP side: its module, command handlers, outbox relay and
 * projections, as `main.ts` runs them. The module reads its configuration from the environment when it is loaded,
 * so it is imported only now.
 */
export const createImportContext = async (): Promise<INestApplicationContext> => {
  const { PlanModule } = await import('../plan.module');
  const app = await NestFactory.createApplicationContext(PlanModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
};

/** Waits (bounded) until the relay has published every outbox row; the rows left when it gives up. */
export const drainOutbox = async (app: INestApplicationContext, timeoutMs: number, onWait?: (left: number) => void): Promise<number> => {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()}`);
    if (n === 0 || Date.now() > deadline) return n;
    onWait?.(n);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
