import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AppLogger, logLevelsUpTo } from './app-logger.js';
import { withLogContext } from './log-context.js';
import { maskSecrets } from './mask-secrets.js';

function capture(level: 'error' | 'warn' | 'info' | 'debug' = 'debug') {
  const lines: { line: string; stream: string }[] = [];
  const logger = new AppLogger('json', logLevelsUpTo(level), (line, stream) => lines.push({ line, stream }));
  const parsed = () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('AppLogger (LOG_FORMAT=json)', () => {
  it('writes one JSON object per line with time, level, context and msg', () => {
    const { logger, lines, parsed } = capture();
    logger.log('listening on 3000', 'sirenwatch');
    logger.warn('broker connection lost', 'mqtt');
    expect(lines.every((l) => l.line.endsWith('\n') && l.line.indexOf('\n') === l.line.length - 1)).toBe(true);
    const [a, b] = parsed();
    expect(a).toMatchObject({ level: 'info', context: 'sirenwatch', msg: 'listening on 3000' });
    expect(b).toMatchObject({ level: 'warn', context: 'mqtt', msg: 'broker connection lost' });
    expect(new Date(a.time as string).toISOString()).toBe(a.time);
  });

  it('carries the requestId and commandId in scope, and structured params', () => {
    const { logger, parsed } = capture();
    withLogContext({ requestId: 'req-1' }, () => {
      logger.log('POST /api/drills 201', 'http');
      logger.debug('activate sent to NC-1', { commandId: 'cmd-9' }, 'commands');
    });
    logger.error('not published', { commandId: 'cmd-7' }, 'commands');
    logger.log('outside any request', 'x');
    const [http, nested, explicit, outside] = parsed();
    expect(http).toMatchObject({ requestId: 'req-1', msg: 'POST /api/drills 201' });
    expect(http.commandId).toBeUndefined();
    expect(nested).toMatchObject({ requestId: 'req-1', commandId: 'cmd-9', msg: 'activate sent to NC-1' });
    expect(explicit).toMatchObject({ level: 'error', commandId: 'cmd-7', context: 'commands' });
    expect(outside.requestId).toBeUndefined();
  });

  it('keeps an error stack inside its line and sends errors to stderr', () => {
    const { logger, lines, parsed } = capture();
    logger.error('batch failed', 'Error: boom\n    at commit (write-behind.ts:1:1)', 'write-behind');
    expect(lines).toHaveLength(1);
    expect(lines[0].stream).toBe('stderr');
    expect(parsed()[0]).toMatchObject({ level: 'error', msg: 'batch failed', stack: expect.stringContaining('at commit') });
  });

  it('honours LOG_LEVEL and turns Nest start-up chatter into debug', () => {
    const { logger, parsed } = capture('warn');
    logger.log('info line', 'x');
    logger.debug('debug line', 'x');
    logger.warn('warn line', 'x');
    expect(parsed().map((l) => l.msg)).toEqual(['warn line']);
    const debug = capture('debug');
    debug.logger.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(debug.parsed()[0]).toMatchObject({ level: 'debug', context: 'InstanceLoader' });
  });

  it('works through the Nest Logger facade with its context', () => {
    const { logger, parsed } = capture();
    Logger.overrideLogger(logger);
    new Logger('ingest').log('replayed 3 journalled messages', { replayed: 3 });
    Logger.overrideLogger(new AppLogger('json', [], () => undefined));
    expect(parsed()[0]).toMatchObject({ context: 'ingest', msg: 'replayed 3 journalled messages', replayed: 3 });
  });

  it('masks tokens, passwords, API keys and URL credentials', () => {
    const { logger, parsed } = capture();
    logger.log('GET /api/stream?token=eyJhbGciOi.abc.def 200', 'http');
    logger.log('Authorization: Bearer eyJhbGciOi.abc.def', 'http');
    logger.log({ username: 'ops', password: 'hunter2-secret' }, 'auth');
    logger.log('connected to mqtts://centre:mq-pass-123@broker:8883', 'mqtt');
    const text = parsed().map((l) => l.msg).join('\n');
    for (const secret of ['eyJhbGciOi', 'hunter2-secret', 'mq-pass-123']) expect(text).not.toContain(secret);
    expect(text).toContain('ops');
    expect(text).toContain('broker:8883');
  });
});

describe('maskSecrets', () => {
  it('leaves ordinary text alone', () => {
    const text = 'drill 9·18 completed: 198 PASS, 2 FAIL_NO_ACK (seq 1042, key rotation due)';
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks key=value, JSON and header forms', () => {
    expect(maskSecrets('x-api-key: sk_live_123')).toBe('x-api-key: ***');
    expect(maskSecrets('{"secret":"abc","id":"NC-1"}')).toBe('{"secret":"***","id":"NC-1"}');
    expect(maskSecrets('ADMIN_PASSWORD=pw123456 PORT=3000')).toBe('ADMIN_PASSWORD=*** PORT=3000');
  });
});
