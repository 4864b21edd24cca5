import { doubled } from '../common/float-array.js';
import type { LiveSiren } from './live-siren.js';

/**
 * When the offline sweep next needs to look at each siren (`sweepDueAt`), in one flat array. A sweep
 * walking 100 000 siren objects spread over the heap cost twice as much per siren as one over 10 000
 * (cache misses); scanning this array costs the same per siren at any size, and only due sirens are read.
 */
export class SweepSchedule {
  private readonly slots = new Map<string, number>();
  private ids: string[] = [];
  private sirens: LiveSiren[] = [];
  private due = new Float64Array(1024);

  /** Sets (or adds) the siren's due time. */
  set(id: string, siren: LiveSiren, dueAt: number): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slots.set(id, slot);
      this.ids.push(id);
      this.sirens.push(siren);
      if (slot === this.due.length) this.due = doubled(this.due);
    }
    this.sirens[slot] = siren;
    this.due[slot] = dueAt;
  }

  /** Calls `visit` for each siren due by `now`; it returns the siren's next due time. */
  visitDue(now: number, visit: (id: string, siren: LiveSiren) => number): void {
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (this.due[slot] <= now) this.due[slot] = visit(this.ids[slot], this.sirens[slot]);
    }
  }
}
