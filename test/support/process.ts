import type { ChildProcess } from 'node:child_process';

/** Signals a child process and waits for it to exit (at once if it already has); resolves with its exit code. */
export function signalAndWait(p: ChildProcess | null, signal: NodeJS.Signals): Promise<number | null> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p?.exitCode ?? null);
  return new Promise((resolve) => {
    p.once('exit', (code) => resolve(code));
    p.kill(signal);
  });
}
