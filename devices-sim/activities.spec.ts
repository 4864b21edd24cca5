import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { wavFile } from '../src/protocol/audio-format.js';
import { demoCity } from '../src/protocol/demo-city.js';
import type { Command } from '../src/protocol/index.js';
import { seededRandom } from '../src/protocol/random.js';
import { Activities } from './activities.js';
import { ManualClock } from './clock.js';
import { conditionsOf } from './conditions.js';
import { Device } from './device.js';
import type { FaultSpec } from './fault-profile.js';
import { toSimSiren } from './fleet.js';
import type { EventBody } from './outbox.js';

const AUDIO = wavFile(3);
const SHA = createHash('sha256').update(AUDIO).digest('hex');

function speaker(faults: FaultSpec[] = [], file: Buffer = AUDIO) {
  const clock = new ManualClock();
  const events: EventBody[] = [];
  const fetched: string[] = [];
  const activities = new Activities({
    clock,
    random: seededRandom(3),
    device: new Device({ ...toSimSiren(demoCity(1)[0]), capabilities: ['tone', 'voice'] }, seededRandom(4)),
    conditions: () => conditionsOf(faults),
    event: (e) => events.push(e),
    fetchAudio: async (url) => {
      fetched.push(url);
      return file;
    },
    changed: () => {},
  });
  const play = async (extra: Partial<Command>) => {
    const command = { commandId: 'c-1', type: 'voice', exercise: true, timeScale: 1, messageId: 'm-1', repeat: 2, issuedAt: '', expiresAt: '', ...extra } as Command;
    activities.reserve('voice', 'c-1');
    activities.start(command);
    await clock.advance(0);
  };
  return { clock, events, fetched, activities, play };
}

const finished = (events: EventBody[]) => events.find((e) => e.type === 'voice.finished') as Record<string, unknown> | undefined;

describe('a multimedia siren speaking', () => {
  it('fetches the audio once, checks its sha256 and speaks for its length × repeat', async () => {
    const s = speaker();
    await s.play({ audioUrl: 'http://centre/a/t1', sha256: SHA });
    expect(s.fetched).toEqual(['http://centre/a/t1']);
    expect(s.events.map((e) => e.type)).toEqual(['voice.started']);
    await s.clock.advance(5_900);
    expect(finished(s.events)).toBeUndefined();
    await s.clock.advance(200);
    expect(finished(s.events)).toEqual({ type: 'voice.finished', result: 'completed', durationS: 6, messageId: 'm-1', soundDb: expect.any(Number) });
    expect(s.activities.busy).toBe(false);
  });

  it('refuses a file whose sha256 differs: failed, never started', async () => {
    const s = speaker([], wavFile(2));
    await s.play({ audioUrl: 'http://centre/a/t1', sha256: SHA });
    expect(s.events).toEqual([expect.objectContaining({ type: 'voice.finished', result: 'failed' })]);
  });

  it('voice-fail: starts and never finishes; voice-mute: finishes with a low level', async () => {
    const failing = speaker([{ kind: 'voice-fail', count: 1 }]);
    await failing.play({ text: 'Go to the shelter.' });
    await failing.clock.advance(600_000);
    expect(failing.events.map((e) => e.type)).toEqual(['voice.started']);
    expect(failing.activities.busy).toBe(true);

    const mute = speaker([{ kind: 'voice-mute', count: 1 }]);
    await mute.play({ text: '请立即前往人防工程避险。' });
    await mute.clock.advance(60_000);
    expect(finished(mute.events)).toMatchObject({ result: 'completed', soundDb: 40 });
  });
});
