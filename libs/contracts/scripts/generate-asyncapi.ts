// `npm run asyncapi`: writes libs/contracts/asyncapi.json from the catalogue. Commit the result;
// asyncapi.unit.spec.ts fails while the checked-in file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAsyncApiDocument } from '../src/asyncapi';

const target = join(__dirname, '..', 'asyncapi.json');
writeFileSync(target, renderAsyncApiDocument());
process.stdout.write(`wrote ${target}\n`);
