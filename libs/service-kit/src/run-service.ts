import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { TokenVerifier } from '@golden-loop/http-api';
import type { ServiceConfig } from './service-config';

/** A service's `main.ts`: start, listen, and say where it is and on which Node.js it runs. */
export const runService = async (
  service: string,
  createApp: () => Promise<INestApplication>,
  config: Pick<ServiceConfig, 'PORT' | 'HOST'>,
): Promise<INestApplication> => {
  const app = await createApp();
  // Fail at start-up, not at the first request, when the issuer's keys are missing.
  app.get(TokenVerifier).loadKeys();
  await app.listen(config.PORT, config.HOST);
  new Logger(service).log(
    `${service} on http://${config.HOST}:${config.PORT} (Swagger UI /docs, metrics /metrics) — Node.js ${process.version}`,
  );
  return app;
};
