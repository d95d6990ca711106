import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createPlanApp } from './app';
import { validatePlanConfig } from './config';

const main = async () => {
  const { PORT, HOST } = validatePlanConfig(process.env);
  const app = await createPlanApp();
  await app.listen(PORT, HOST);
  new Logger('plan').log(`plan service on http://${HOST}:${PORT} (OpenAPI: /docs)`);
};

void main();
