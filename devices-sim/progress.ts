/**
 * Progress for the command line: one line redrawn in place on a terminal, plain timestamped
 * log lines otherwise (a log file or a container's output).
 */
import type { SimulationCounters } from './counters.js';
import type { SirenNotice } from './siren.js';

const TTY_REFRESH_MS = 500;
const LOG_EVERY_MS = 10_000;
/** Statuses come in bursts of one interval; the rate is averaged over a few seconds to read steadily. */
const RATE_WINDOW_MS = 5000;

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** Feed every simulation event; fault changes are summed up per refresh. */
  onEvent(event: SirenNotice): void;
  /** A line of its own (above the live line on a terminal). */
  note(line: string): void;
  stop(): void;
}

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function summary(c: SimulationCounters, perSecond: number): string {
  return [
    `connected ${c.connected}/${c.sirens}`,
    `sounding ${c.sounding}`,
    `faults injected ${c.faultsInjected}`,
    `${Math.round(perSecond)} msg/s`,
    `sent ${c.sentTotal}`,
    `commands ${c.commandsReceived} (${c.commandsRejected} rejected)`,
  ].join(' · ');
}

export function startProgress(out: ProgressOutput, counters: () => SimulationCounters, now: () => number = Date.now): Progress {
  const tty = out.isTTY === true;
  const startedAt = now();
  const samples = [{ at: startedAt, sent: 0 }];
  const faultChanges = new Map<string, number>();
  const stamp = () => `[${elapsed(now() - startedAt)}]`;
  const clearLine = () => tty && out.write('\r\x1b[2K');

  const flushFaults = () => {
    if (faultChanges.size === 0) return;
    const parts = [...faultChanges].map(([what, n]) => `${what} ×${n}`);
    faultChanges.clear();
    note(`faults: ${parts.join(', ')}`);
  };
  const tick = () => {
    flushFaults();
    const c = counters();
    const t = now();
    samples.push({ at: t, sent: c.sentTotal });
    // Keep one sample from just before the window, so the rate spans the whole window.
    while (samples.length > 2 && samples[1].at <= t - RATE_WINDOW_MS) samples.shift();
    const oldest = samples[0];
    const rate = t > oldest.at ? ((c.sentTotal - oldest.sent) * 1000) / (t - oldest.at) : 0;
    if (tty) out.write(`\r\x1b[2K${stamp()} ${summary(c, rate)}`);
    else out.write(`${stamp()} ${summary(c, rate)}\n`);
  };
  const note = (line: string) => {
    clearLine();
    out.write(`${stamp()} ${line}\n`);
  };
  const timer = setInterval(tick, tty ? TTY_REFRESH_MS : LOG_EVERY_MS);

  return {
    onEvent: (e) => {
      if (e.type !== 'fault') return;
      const key = `${e.kind} ${e.active ? 'injected' : 'ended'}`;
      faultChanges.set(key, (faultChanges.get(key) ?? 0) + 1);
    },
    note,
    stop: () => {
      clearInterval(timer);
      flushFaults();
      clearLine();
    },
  };
}
