/** How busy the machine is before the bench starts: other work on two cores skews every figure. */
import { cpus } from 'node:os';
import { sleep } from './wait.js';

const totals = () =>
  cpus().reduce(
    (acc, c) => {
      const all = c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
      return { all: acc.all + all, idle: acc.idle + c.times.idle };
    },
    { all: 0, idle: 0 },
  );

/** Share (0–1) of all CPU time spent busy over the next `ms`. */
export async function busyShare(ms = 1_000): Promise<number> {
  const before = totals();
  await sleep(ms);
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? 1 - (after.idle - before.idle) / all : 0;
}

/** Above this, the run is reported as taken on a busy machine. */
export const BUSY_WARNING = 0.15;
