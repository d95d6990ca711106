import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocumentFor, renderOpenApi } from '@golden-loop/service-kit';
import { untypedProperties, validateOpenApi } from '@golden-loop/service-testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PLAN_API } from './app';
import { PlanModule } from './plan.module';

describe('the plan service’s OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await openApiDocumentFor(PlanModule, PLAN_API);
  });

  test('the committed openapi.json is the document the code serves (run `npm run openapi` after an API change)', () => {
    expect(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')).toBe(renderOpenApi(document));
  });

  test('is a valid OpenAPI document', async () => {
    await expect(validateOpenApi(document)).resolves.toBeUndefined();
  });

  test('types every property (no bare object where a code, id or date belongs)', () => {
    expect(untypedProperties(document)).toEqual([]);
  });

  test('documents the paging and filter parameters of GET /plans and the error bodies', () => {
    const list = document.paths['/plans'].get!;
    expect((list.parameters ?? []).map((parameter) => ('name' in parameter ? parameter.name : ''))).toEqual(
      expect.arrayContaining(['clinicianId', 'clientId', 'status', 'page', 'pageSize']),
    );
    expect(document.paths['/plans/{planId}/assessments'].post!.responses['412']).toBeDefined();
  });
});
