import { Injectable } from '@nestjs/common';

/** Time, behind a provider so that logic can run on a fake clock in tests. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock the test moves by hand. */
export class FakeClock extends Clock {
  constructor(private t = Date.parse('2026-09-18T02:00:00.000Z')) {
    super();
  }
  override now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(ms: number): void {
    this.t = ms;
  }
}
