import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that every log line written while handling one request carries. */
export interface LogContext {
  requestId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these ids attached to every log line it writes, however deep the call goes. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
