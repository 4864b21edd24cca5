import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../common/clock.js';
import type { SirenEvent } from '../protocol/payloads.js';
import { resultView } from './drill-report.js';
import { DrillRun, newStep } from './drill-run.js';
import type { DrillEntity, DrillResultEntity } from './drill.entity.js';

const drill = { id: 'd', mode: 'silent', patterns: [], ackTimeoutS: 30, timeScale: 1, progress: { step: 0, nextStepAt: null } } as unknown as DrillEntity;
const result = (sirenId: string): DrillResultEntity => ({ drillId: 'd', sirenId, districtCode: 'x', districtName: 'X', verdict: null, detail: null, ackMs: null, soundDb: null, onSeconds: null, steps: [newStep({ kind: 'test' }, false)] });
const testResult = (commandId: string) => ({ type: 'test.result', commandId, ok: true, amplifiers: [true], speakerImpedanceOhm: [8], batteryUnderLoadV: 25, failures: [] }) as unknown as SirenEvent;

describe('DrillRun: when each verdict was decided', () => {
  it('stamps a step with the clock when it is judged, from a report or from a deadline', () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const [a, b] = [result('A'), result('B')];
    const run = new DrillRun(drill, new Map([a, b].map((r) => [r.sirenId, r])), () => null, () => clock.now(), 10);
    run.sent(a, 'c-a', t0);
    run.sent(b, 'c-b', t0);
    clock.advance(1_500);
    run.onResult('c-a', testResult('c-a'), t0 + 1_000);
    expect(a.steps[0].decidedAt).toBe(t0 + 1_500); // the decision, not the message's receipt
    expect(b.steps[0].decidedAt).toBeNull();
    clock.advance(31_000);
    run.expire(clock.now());
    expect(b.steps[0]).toMatchObject({ verdict: 'FAIL_NO_ACK', decidedAt: t0 + 32_500 });
  });

  it('shows the last step decision on a judged result only', () => {
    const clock = new FakeClock();
    const a = result('A');
    const run = new DrillRun(drill, new Map([[a.sirenId, a]]), () => null, () => clock.now(), 10);
    run.sent(a, 'c-a', clock.now());
    run.onResult('c-a', testResult('c-a'), clock.now());
    expect(resultView(a).decidedAt).toBeNull(); // not final yet
    run.finish();
    expect(resultView(a)).toMatchObject({ verdict: 'PASS', decidedAt: new Date(clock.now()).toISOString() });
  });
});
