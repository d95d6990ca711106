import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { CATALOGUE_ENTRIES, TOPICS, renderAsyncApiDocument } from './index';

const checkedIn = readFileSync(join(__dirname, '..', 'asyncapi.json'), 'utf8');

describe('asyncapi.json', () => {
  test('is what the catalogue generates now (run `npm run asyncapi` and commit if this fails)', () => {
    expect(checkedIn).toBe(renderAsyncApiDocument());
  });

  test('parses with @asyncapi/parser v3 without error diagnostics', async () => {
    const { document, diagnostics } = await new Parser().parse(checkedIn);
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error)
      .map((diagnostic) => `${diagnostic.path.join('/')}: ${diagnostic.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();

    const channels = document!.channels().all().map((channel) => channel.address()).sort();
    expect(channels).toEqual(Object.values(TOPICS).sort());
    const sent = document!
      .operations()
      .all()
      .filter((operation) => operation.action() === 'send')
      .flatMap((operation) => operation.messages().all().map((message) => message.name()));
    expect(sent.sort()).toEqual(CATALOGUE_ENTRIES.map((entry) => entry.name).sort());
  });

  test.each(CATALOGUE_ENTRIES.map((entry) => [entry.type, entry] as const))(
    '%s is documented on its topic with its CloudEvents headers and payload schema',
    (_, entry) => {
      const doc = JSON.parse(checkedIn);
      const id = `${entry.name}V${entry.version}`;
      const channel = Object.values(doc.channels as Record<string, { address: string; messages: object }>).find(
        (candidate) => candidate.address === TOPICS[entry.producer],
      );
      expect(Object.keys(channel!.messages)).toContain(id);
      expect(doc.components.messages[id]).toMatchObject({
        'x-cloudevents-type': entry.type,
        headers: { $ref: `#/components/schemas/${id}Headers` },
        payload: { $ref: `#/components/schemas/${id}` },
        bindings: { kafka: { key: { $ref: '#/components/schemas/PlanId' } } },
      });
      expect(doc.components.schemas[id]).toEqual(entry.payloadSchema);
      expect(doc.components.schemas[`${id}Headers`].properties.ce_type).toEqual({ type: 'string', const: entry.type, description: expect.any(String) });
    },
  );
});
