import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Node 20 reached end of life on 2026-04-30; the project brings Node 24 LTS through the `node` package, so every
// npm script, every jest worker and every process a test forks runs on it (docs/service-kit.md, "Runtime").
const root = join(__dirname, '..', '..', '..');
const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

describe('the runtime', () => {
  test(`this jest worker runs on the Node.js the project pins (${engines})`, () => {
    console.log(`jest worker on Node.js ${process.version} (${process.execPath})`);
    expect(engines).toBe('>=24 <25');
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  test('a process forked the way tests and `npm start` fork services runs on the same Node.js', () => {
    const version = execFileSync(process.execPath, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    expect(version).toBe(process.versions.node);
  });
});
