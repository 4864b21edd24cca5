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
  /** CPU ms of the bench's own process (all its threads: the publishers, where a phase runs them). */
  selfMs: number;
  /** CPU ms all cores had over the window, busy or not, and how much of it was idle. */
  allMs: number;
  idleMs: number;
}

/** Who took the CPU during one ingest phase, per message, in µs (the CPU budget of report.ts). */
export interface PhaseCpu {
  /** The bare subscriber (phase 1) or the service (phase 2). */
  consumerUs: number;
  brokerUs: number;
  /** The bench process: the publishers' thread and its own polling. */
  publishersUs: number;
  /** null: PostgreSQL was not in the phase. */
  postgresUs: number | null;
  idleShare: number;
  /** Share of the CPU that other work on the machine took meanwhile. */
  foreignShare: number;
}

/** A phase's CpuUse as µs per message of each party; the consumer and broker are given by pid. */
export function phaseCpu(use: CpuUse, pids: { consumer: number; broker: number }, messages: number, withPostgres: boolean): PhaseCpu {
  const us = (ms: number) => (ms * 1000) / messages;
  return {
    consumerUs: us(use.byPid.get(pids.consumer) ?? 0),
    brokerUs: us(use.byPid.get(pids.broker) ?? 0),
    publishersUs: us(use.selfMs),
    postgresUs: withPostgres ? us(use.postgresMs) : null,
    idleShare: use.allMs > 0 ? use.idleMs / use.allMs : 0,
    foreignShare: use.foreignShare,
  };
}

/** Starts a measurement over the bench itself, the given processes and (optionally) PostgreSQL. */
export function startCpuWindow(pids: number[], withPostgres: boolean): () => CpuUse {
  const pg = () => (withPostgres ? postgresCpuMs() : 0);
  const ours = () => processCpuMs('self') + pids.reduce((ms, pid) => ms + processCpuMs(pid), 0) + pg();
  const before = { machine: machineMs(), ours: ours(), byPid: pids.map(processCpuMs), pg: pg(), self: processCpuMs('self') };
  return () => {
    const machine = machineMs();
    const postgresMs = pg() - before.pg;
    const all = machine.all - before.machine.all;
    const idle = machine.idle - before.machine.idle;
    const foreign = Math.max(0, all - idle - (ours() - before.ours));
    const byPid = new Map(pids.map((pid, i) => [pid, processCpuMs(pid) - before.byPid[i]]));
    return { foreignShare: all > 0 ? foreign / all : 0, postgresMs, byPid, selfMs: processCpuMs('self') - before.self, allMs: all, idleMs: idle };
  };
}
