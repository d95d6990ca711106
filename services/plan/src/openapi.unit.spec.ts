import { join } from 'node:path';
import { describeOpenApiDocument } from '@golden-loop/service-testing';
import { PLAN_API } from './app';
import { PlanModule } from './plan.module';

const document = describeOpenApiDocument('plan', PlanModule, PLAN_API, join(__dirname, '..', 'openapi.json'));

test('documents the paging and filter parameters of GET /plans and the error bodies', () => {
  const list = document().paths['/plans'].get!;
  expect((list.parameters ?? []).map((parameter) => ('name' in parameter ? parameter.name : ''))).toEqual(
    expect.arrayContaining(['clinicianId', 'clientId', 'status', 'page', 'pageSize']),
  );
  expect(document().paths['/plans/{planId}/assessments'].post!.responses['412']).toBeDefined();
});
