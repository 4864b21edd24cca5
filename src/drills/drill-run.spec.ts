import { describe, expect, it } from '@jest/globals';
import type { SirenEvent } from '../protocol/payloads.js';
import { DrillRun, drillSteps, newStep, VOICE_STEP } from './drill-run.js';
import type { DrillEntity, DrillResultEntity, VoiceSegment } from './drill.entity.js';
import { speechDurationS, voiceWindowS } from './verdicts.js';

const voice: VoiceSegment = { messageId: 'm-1', language: 'zh-CN', text: '请前往人防工程避险', audio: null, durationS: 3, repeat: 2, tonePattern: null };
const drill = { id: 'd-1', mode: 'audible', patterns: [VOICE_STEP], voice, ackTimeoutS: 30, timeScale: 0.5, progress: { step: 0, nextStepAt: null } } as unknown as DrillEntity;
const header = { bootId: 'b', seq: 1, ts: '2026-09-18T02:00:00.000Z' };
const finished = (commandId: string, extra: object) => ({ ...header, type: 'voice.finished', messageId: 'm-1', commandId, result: 'completed', durationS: 6, soundDb: 101, ...extra }) as SirenEvent;

function run(speaks: Record<string, boolean>) {
  const results = new Map<string, DrillResultEntity>();
  for (const [id, s] of Object.entries(speaks)) {
    results.set(id, { drillId: 'd-1', sirenId: id, districtCode: '360102', districtName: '东湖区', verdict: null, detail: null, ackMs: null, soundDb: null, onSeconds: null, steps: drillSteps(drill).map((st) => newStep(st, s)) });
  }
  return { r: new DrillRun(drill, results, () => 90, () => 0, 10), results };
}

describe('a voice step', () => {
  it('speaks on multimedia sirens, sounds the tone on the others or leaves them out', () => {
    expect(newStep({ kind: 'voice', voice }, true)).toMatchObject({ voice: true, pattern: null });
    expect(newStep({ kind: 'voice', voice: { ...voice, tonePattern: 'test.short' } }, false)).toMatchObject({ pattern: 'test.short' });
    expect(newStep({ kind: 'voice', voice }, false)).toMatchObject({ skip: true, pattern: null });
  });

  it('judges the report: PASS, FAIL_NO_SOUND for a low level or a failed result, and is done without the skipped', () => {
    const { r, results } = run({ A: true, B: true, C: true, D: false });
    ['A', 'B', 'C'].forEach((id, i) => r.sent(results.get(id)!, `c${i}`, 1_000));
    for (const c of ['c0', 'c1', 'c2']) r.onAck(c, { ...header, commandId: c, accepted: true }, 1_500);
    r.onResult('c0', finished('c0', {}), 5_000);
    r.onResult('c1', finished('c1', { soundDb: 41 }), 5_000);
    expect(r.stepDone()).toBe(false);
    expect(r.decided()).toBe(2);
    r.onResult('c2', finished('c2', { result: 'failed' }), 5_000);
    expect(r.stepDone()).toBe(true);
    // D sits the voice step out: taking part, never decided in it.
    expect([r.decided(), r.commanded().map((x) => x.sirenId)]).toEqual([3, ['A', 'B', 'C', 'D']]);
    const judged = Object.fromEntries(r.finish().map((x) => [x.sirenId, [x.verdict, x.detail]]));
    expect(judged).toEqual({ A: ['PASS', ''], B: ['FAIL_NO_SOUND', 'voice message: 41 dB, under 90 dB'], C: ['FAIL_NO_SOUND', 'voice message: failed'] });
    expect(results.get('D')!.verdict).toBeNull();
  });

  it('waits the speaking time × repeat × timeScale plus grace for the report, then FAIL_NO_REPORT', () => {
    const { r, results } = run({ A: true });
    r.sent(results.get('A')!, 'c0', 0);
    r.onAck('c0', { ...header, commandId: 'c0', accepted: true }, 1_000);
    const windowMs = voiceWindowS(3, 2, 0.5, 10) * 1000;
    expect(windowMs).toBe(13_000);
    expect(r.expire(1_000 + windowMs)).toEqual([]);
    expect(r.expire(1_001 + windowMs)).toHaveLength(1);
    expect(r.finish()[0]).toMatchObject({ verdict: 'FAIL_NO_REPORT', detail: 'voice message: no report within 13.0 s of the ack' });
  });

  it('estimates speech at slow rates so that a real siren is never cut short', () => {
    expect(speechDurationS('请立即前往人防工程避险')).toBe(4);
    expect(speechDurationS('Go to the shelter now, please.')).toBe(3);
    expect(speechDurationS('好')).toBe(2);
  });
});
