import type { ChildProcess } from 'node:child_process';

/** Signals a child process and waits for it to exit (at once if it already has). */
export function signalAndWait(p: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    p.once('exit', () => resolve());
    p.kill(signal);
  });
}
