import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';
import { loggerParams, REDACT_DEPTH, REDACTED_FIELDS, redactPhi, redirectLogs } from './logging';

let restore: () => void = () => undefined;
afterEach(() => restore());

/** The services' logger (the one their HTTP middleware and PinoLogger use), its lines captured into an array. */
const capture = () => {
  const lines: Record<string, unknown>[] = [];
  restore = redirectLogs({ write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const { logger } = loggerParams('plan', 'info').pinoHttp as { logger: Logger };
  return { logger, lines };
};

describe('service logs', () => {
  test('are JSON lines with the service name and a message', () => {
    const { logger, lines } = capture();
    logger.info({ planId: 'p-1' }, 'plan opened');
    expect(lines).toEqual([expect.objectContaining({ level: 30, service: 'plan', planId: 'p-1', message: 'plan opened' })]);
  });

  /** `{ [field]: secret, a: { [field]: secret, a: { ... } } }`, the field at every level from 1 to `levels`. */
  const nested = (field: string, secret: string, levels: number): Record<string, unknown> =>
    levels === 1 ? { [field]: secret } : { [field]: secret, a: nested(field, secret, levels - 1) };

  test.each(REDACTED_FIELDS.map((field) => [field]))(`never carry the value of %s, at any depth up to ${REDACT_DEPTH} levels`, (field) => {
    const { logger, lines } = capture();
    const secret = `PHI-${field}-value`;
    logger.info(nested(field, secret, REDACT_DEPTH), 'something happened');
    logger.info({ event: { data: [{ goal: { [field]: secret } }] } }, 'inside an array');
    expect(JSON.stringify(lines)).not.toContain(secret);
    expect(lines[0]).toMatchObject({ [field]: '[redacted]' });
  });

  test('never carry a redacted field in a child logger’s bindings, the request logger’s included', () => {
    const { logger, lines } = capture();
    logger.child({ planId: 'p-1', client: { name: 'Jane Doe' } }).warn('bound');
    logger.child({ correlationId: 'c-1' }).child({ note: 'in my own words' }).warn('bound twice');
    expect(JSON.stringify(lines)).not.toMatch(/Jane Doe|own words/);
    expect(lines).toEqual([
      expect.objectContaining({ planId: 'p-1', client: { name: '[redacted]' } }),
      expect.objectContaining({ correlationId: 'c-1', note: '[redacted]' }),
    ]);
  });

  /** A request through the services' HTTP logging middleware (pino-http with loggerParams), answered with `status`. */
  const handle = (status: number, error?: Error) => {
    const lines: Record<string, unknown>[] = [];
    restore = redirectLogs({ write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const middleware = pinoHttp(loggerParams('plan', 'info').pinoHttp as Parameters<typeof pinoHttp>[0]);
    let walked = 0;
    const request = Object.assign(new IncomingMessage(new Socket()), {
      method: 'POST',
      url: '/plans/p-1/assessments?clientName=Jane',
      header: () => undefined,
      body: { note: 'in my own words' },
    });
    // A field only a walk of the whole request reads: the socket, server and parser hang off it the same way.
    Object.defineProperty(request, 'deep', { enumerable: true, get: () => (walked += 1) });
    const response = new ServerResponse(request);
    middleware(request, response, () => undefined);
    response.writeHead(status);
    if (error) Object.assign(response, { err: error });
    response.end(); // no socket to flush to: 'finish' is emitted here
    response.emit('finish');
    return { lines, walked };
  };

  test('log a request as its method, its path and its status, without walking the raw request or response', () => {
    const { lines, walked } = handle(201);
    expect(lines).toEqual([expect.objectContaining({ req: { method: 'POST', url: '/plans/p-1/assessments' }, res: { statusCode: 201 }, message: 'request completed' })]);
    expect(JSON.stringify(lines)).not.toMatch(/Jane|own words/);
    expect(walked).toBe(0);
  });

  test('log a failed request’s error with its type, message and stack, and its redacted fields gone', () => {
    const { lines } = handle(500, Object.assign(new TypeError('refused'), { code: 'E1', body: { note: 'secret words' } }));
    expect(lines).toEqual([expect.objectContaining({ res: { statusCode: 500 }, err: expect.objectContaining({ type: 'TypeError', message: 'refused', code: 'E1', body: '[redacted]' }) })]);
    expect((lines[0].err as { stack: string }).stack).toContain('TypeError: refused');
    expect(JSON.stringify(lines)).not.toContain('secret words');
  });

  test('look no deeper than REDACT_DEPTH levels (the limit is one constant)', () => {
    const deep = nested('note', 'x', REDACT_DEPTH + 1);
    let below = redactPhi<Record<string, unknown>>(deep);
    for (let level = 1; level < REDACT_DEPTH; level++) below = below.a as Record<string, unknown>;
    expect(below).toEqual({ note: '[redacted]', a: { note: 'x' } });
  });

  test('change nothing they are given, and copy nothing that holds no redacted field', () => {
    const logged = { planId: 'p-1', goal: { text: 'my own words', code: 'G1' }, ids: ['a', 'b'] };
    const redacted = redactPhi(logged);
    expect(logged.goal.text).toBe('my own words');
    expect(redacted).toEqual({ planId: 'p-1', goal: { text: '[redacted]', code: 'G1' }, ids: ['a', 'b'] });
    expect(redacted.ids).toBe(logged.ids);
    const clean = { planId: 'p-1', codes: ['F33.1'], at: new Date(0) };
    expect(redactPhi(clean)).toBe(clean);
  });

  test('keep an error an error: its message and stack, with the redacted field gone', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('refused'), { code: 'E1', body: { note: 'secret words' } });
    logger.error({ err: error }, 'failed');
    expect(error.body.note).toBe('secret words');
    expect(JSON.stringify(lines)).not.toContain('secret words');
    expect(lines[0]).toMatchObject({ err: { type: 'Error', message: 'refused', code: 'E1', body: '[redacted]' } });
    expect((lines[0].err as { stack: string }).stack).toContain('Error: refused');
  });

  test('keep identifiers and codes', () => {
    const { logger, lines } = capture();
    logger.info({ planId: 'p-1', code: 'assessment_invalid', instrument: 'PHQ-9' }, 'refused');
    expect(lines[0]).toMatchObject({ planId: 'p-1', code: 'assessment_invalid', instrument: 'PHQ-9' });
  });
});
