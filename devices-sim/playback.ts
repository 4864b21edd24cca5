/**
 * Plays a pattern's sounding periods on a Clock and reports what the siren's acoustic sensor
 * measured. Boundaries are anchored to the start, so late timers never accumulate drift.
 */
import type { SignalPattern } from '../src/protocol/index.js';
import type { Clock, TimerHandle } from './clock.js';
import { between } from './seed.js';

/** ±0.5 %: the sensor's error on a period's length, well inside the ±2 % the contract allows. */
const SENSOR_ERROR = 0.005;

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Pattern seconds from the start to the end of the last sounding period (the siren reports as the
 * last period ends; a trailing pause is silence). `factor` stretches every sounding period.
 */
export function playbackLengthS(pattern: SignalPattern, factor = 1): number {
  const periods = pattern.periods;
  return periods.reduce((sum, p, i) => sum + p.on * factor + (i < periods.length - 1 ? p.off : 0), 0);
}

export interface PlaybackOptions {
  /** Wall seconds per pattern second. */
  timeScale: number;
  /** `pattern-drift`: every sounding period lasts this many times its length. */
  driftFactor: number;
  random: () => number;
}

export class Playback {
  private readonly measured: number[] = [];
  private startedAt = 0;
  private timer: TimerHandle | null = null;
  private index = 0;
  private sounding = false;

  constructor(
    private readonly clock: Clock,
    private readonly pattern: SignalPattern,
    private readonly options: PlaybackOptions,
    private readonly onFinished: (onSeconds: number[]) => void,
  ) {}

  start(): void {
    this.startedAt = this.clock.now();
    this.index = 0;
    this.sounding = true;
    this.schedule(this.pattern.periods[0].on * this.options.driftFactor);
  }

  /** Stops at once; returns the periods sounded so far, the one under way measured as it stands. */
  cancel(): number[] {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.sounding) {
      const elapsedS = (this.clock.now() - this.startedAt) / 1000 / this.options.timeScale;
      this.measured.push(round2(Math.max(0, elapsedS - this.offsetS(this.index))));
      this.sounding = false;
    }
    return [...this.measured];
  }

  /** Pattern seconds from the start to the beginning of period `i`. */
  private offsetS(i: number): number {
    return this.pattern.periods.slice(0, i).reduce((s, p) => s + p.on * this.options.driftFactor + p.off, 0);
  }

  private schedule(untilPatternS: number): void {
    const due = this.startedAt + (this.offsetS(this.index) + untilPatternS) * this.options.timeScale * 1000;
    this.timer = this.clock.setTimeout(() => this.boundary(), due - this.clock.now());
  }

  private boundary(): void {
    const period = this.pattern.periods[this.index];
    const onS = period.on * this.options.driftFactor;
    if (this.sounding) {
      this.measured.push(round2(onS * (1 + between(this.options.random, -SENSOR_ERROR, SENSOR_ERROR))));
      this.sounding = false;
      if (this.index === this.pattern.periods.length - 1) {
        this.timer = null;
        this.onFinished([...this.measured]);
        return;
      }
      this.schedule(onS + period.off);
    } else {
      this.index++;
      this.sounding = true;
      this.schedule(this.pattern.periods[this.index].on * this.options.driftFactor);
    }
  }
}
