/**
 * Whose work the machine did during a phase, from /proc (Linux): on two cores, anything else running
 * (a build, a test run) shows up straight in the figures, so the bench measures it instead of guessing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const TICK_MS = 10; // USER_HZ = 100

/** utime + stime of a process, all its threads, in ms. */
function processCpuMs(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Every PostgreSQL server process: the bench's database work happens in them. */
function postgresCpuMs(): number {
  let ms = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += processCpuMs(Number(pid));
    } catch {
      // It ended between the listing and the read.
    }
  }
  return ms;
}

function machineMs(): { all: number; idle: number } {
  return cpus().reduce((acc, c) => ({ all: acc.all + c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle, idle: acc.idle + c.times.idle }), { all: 0, idle: 0 });
}

export interface CpuUse {
  /** Share (0–1) of the machine's CPU that went to processes other than the bench's own. */
  foreignShare: number;
  /** CPU ms of each watched process. */
  byPid: Map<number, number>;
  /** CPU ms of all PostgreSQL server processes (0 when not watched). */
  postgresMs: number;
}

/** Starts a measurement over the bench itself, the given processes and (optionally) PostgreSQL. */
export function startCpuWindow(pids: number[], withPostgres: boolean): () => CpuUse {
  const pg = () => (withPostgres ? postgresCpuMs() : 0);
  const ours = () => processCpuMs('self') + pids.reduce((ms, pid) => ms + processCpuMs(pid), 0) + pg();
  const before = { machine: machineMs(), ours: ours(), byPid: pids.map(processCpuMs), pg: pg() };
  return () => {
    const machine = machineMs();
    const postgresMs = pg() - before.pg;
    const all = machine.all - before.machine.all;
    const busy = all - (machine.idle - before.machine.idle);
    const foreign = Math.max(0, busy - (ours() - before.ours));
    return { foreignShare: all > 0 ? foreign / all : 0, postgresMs, byPid: new Map(pids.map((pid, i) => [pid, processCpuMs(pid) - before.byPid[i]])) };
  };
}
