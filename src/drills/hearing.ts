/**
 * Whether a drill's deadlines may be judged now. Not while the centre cannot hear (broker connection
 * down, or a restart), nor for `graceMs` after it hears again: the broker first hands over the acks and
 * reports it held meanwhile. Nor for `graceMs` after the service's own event loop stood still for
 * `stallMs` (a long collection, a starved process): timers then run before the sockets are read, so the
 * acks that waited in them would be missed.
 */
export class Hearing {
  private since: number | null = null;
  private lastTick: number | null = null;

  constructor(
    private readonly graceMs: number,
    private readonly stallMs: number,
  ) {}

  connected(up: boolean, now: number): void {
    this.since = up ? now : null;
  }

  /** Called on every tick of the runner; true when deadlines may be judged. */
  tick(now: number): boolean {
    if (this.since !== null && this.lastTick !== null && now - this.lastTick > this.stallMs) this.since = now;
    this.lastTick = now;
    return this.since !== null && now - this.since >= this.graceMs;
  }
}
