import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocumentFor, renderOpenApi } from '@golden-loop/service-kit';
import { untypedProperties, validateOpenApi } from '@golden-loop/service-testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { REVIEW_API } from './app';
import { ReviewSchedulerModule } from './review-scheduler.module';

describe('the review-scheduler service’s OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await openApiDocumentFor(ReviewSchedulerModule, REVIEW_API);
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
});
