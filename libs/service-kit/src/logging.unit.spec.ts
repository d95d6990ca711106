import pino from 'pino';
import { loggerParams, REDACTED_FIELDS } from './logging';

/** A pino logger configured as the services' (its options, not its HTTP middleware), writing into an array. */
const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const [options] = loggerParams('plan', 'info').pinoHttp as [pino.LoggerOptions, unknown];
  const logger = pino(options, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
};

describe('service logs', () => {
  test('are JSON lines with the service name and a message', () => {
    const { logger, lines } = capture();
    logger.info({ planId: 'p-1' }, 'plan opened');
    expect(lines).toEqual([expect.objectContaining({ level: 30, service: 'plan', planId: 'p-1', message: 'plan opened' })]);
  });

  test.each(REDACTED_FIELDS.map((field) => [field]))('never carry the value of %s, at any depth up to four levels', (field) => {
    const { logger, lines } = capture();
    const secret = `PHI-${field}-value`;
    logger.info({ [field]: secret, event: { [field]: secret, data: { [field]: secret, goal: { [field]: secret } } } }, 'something happened');
    expect(JSON.stringify(lines)).not.toContain(secret);
    expect(lines[0]).toMatchObject({ [field]: '[redacted]' });
  });

  test('keep identifiers and codes', () => {
    const { logger, lines } = capture();
    logger.info({ planId: 'p-1', code: 'assessment_invalid', instrument: 'PHQ-9' }, 'refused');
    expect(lines[0]).toMatchObject({ planId: 'p-1', code: 'assessment_invalid', instrument: 'PHQ-9' });
  });
});
