import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';
import { currentLogContext } from './log-context.js';
import { maskSecrets } from './mask-secrets.js';

export type LogFormat = 'json' | 'text';
export type LogSink = (line: string, stream: 'stdout' | 'stderr') => void;

/** Nest's start-up chatter (every module and route) is debug detail, not an operator's log line. */
const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);
/** Nest's level names → the usual ones a log pipeline filters on. */
const LEVEL_NAMES: Record<LogLevel, string> = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' };
const toStdio: LogSink = (line, stream) => process[stream].write(line);

/**
 * The service's one logger. `json`: one object per line — time, level, context, msg, plus the
 * requestId / commandId in scope (see log-context) and structured params — for a log pipeline;
 * `text`: Nest's readable lines for a terminal. Both mask secrets in messages.
 */
export class AppLogger extends ConsoleLogger {
  constructor(
    private readonly format: LogFormat,
    logLevels: LogLevel[],
    private readonly sink: LogSink = toStdio,
  ) {
    super({ logLevels });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) return this.debug(message, ...rest);
    super.log(message, ...rest);
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    stream: 'stdout' | 'stderr' = 'stdout',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    const ids = currentLogContext();
    for (const message of messages) {
      const msg = maskSecrets(typeof message === 'string' ? message : inspect(message, { depth: 4, breakLength: Infinity }));
      if (this.format === 'text') {
        const extra = Object.entries({ ...ids, ...params }).map(([k, v]) => ` ${k}=${maskSecrets(String(v))}`).join('');
        super.printMessages([msg + extra], context, logLevel, stream);
        continue;
      }
      const line: Record<string, unknown> = { time: new Date().toISOString(), level: LEVEL_NAMES[logLevel], context, msg, ...ids, ...params };
      if (typeof errorStack === 'string') line.stack = maskSecrets(errorStack);
      this.sink(`${JSON.stringify(line)}\n`, stream);
    }
  }

  protected override printStackTrace(stack: string): void {
    // In JSON the stack is a field of its line; a second, bare line would break line-per-record.
    if (this.format === 'text' && stack) this.sink(`${maskSecrets(stack)}\n`, 'stderr');
  }
}

/** LOG_LEVEL → Nest's level list (each level includes the more severe ones). */
export function logLevelsUpTo(level: 'error' | 'warn' | 'info' | 'debug'): LogLevel[] {
  const all: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug'];
  return all.slice(0, { error: 2, warn: 3, info: 4, debug: 5 }[level]);
}
