import { ConsoleLogger } from '@nestjs/common';

/** Nest's start-up chatter (every module and route) is debug detail, not an operator's log line. */
const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

export class QuietLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context && STARTUP_CONTEXTS.has(context)) return this.debug(message, context);
    super.log(message, context);
  }
}
