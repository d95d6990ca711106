import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createPlanApp } from './app';
import { validatePlanConfig } from './config';

const main = async () => {
  const { PORT } = validatePlanConfig(process.env);
  const app = await createPlanApp();
  await app.listen(PORT, '127.0.0.1');
  new Logger('plan').log(`plan service on http://127.0.0.1:${PORT} (OpenAPI: /docs)`);
};

void main();
