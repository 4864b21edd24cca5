/**
 * The bench's fleet and its traffic: N sirens, and M PROTOCOL.md `status` messages spread round-robin
 * over them (message i is siren i mod N's seq ⌊i / N⌋ of its boot), so every message is new to the
 * service and would be applied.
 */
import type { Status } from '../src/protocol/payloads.js';
import { sirenTopic } from '../src/protocol/topics.js';

export const TOPIC_ROOT = 'sirenwatch/v1';

const sirenId = (k: number) => `BENCH-${String(k).padStart(6, '0')}`;

/** The import file (API.md's CSV) that registers the fleet. */
export function registryCsv(sirens: number): string {
  const lines = ['id,name,districtCode,districtName,lat,lon'];
  for (let k = 0; k < sirens; k++) {
    const lat = (28.6 + (k % 100) * 0.001).toFixed(4);
    const lon = (115.8 + Math.floor(k / 100) * 0.001).toFixed(4);
    lines.push(`${sirenId(k)},Bench siren ${k},BENCH-${k % 20},Bench district ${k % 20},${lat},${lon}`);
  }
  return lines.join('\n') + '\n';
}

/** A healthy siren's heartbeat: raises no fault, so the bench measures plain ingest. */
/** A healthy siren's status: it raises no fault. */
export function healthyStatus(id: string, bootId: string, seq: number, ts: string): Status {
  return {
    sirenId: id,
    bootId,
    seq,
    ts,
    mode: 'idle',
    mains: true,
    batteryV: 26.9,
    batteryPct: 93,
    charger: 'ok',
    doorOpen: false,
    temperatureC: 20 + (seq % 10),
    amplifiers: [true, true, true, true],
    speakerOk: true,
    rssiDbm: -71,
    commsPath: '4g',
  };
}

export function statusPayload(k: number, bootId: string, seq: number, ts: string): string {
  return JSON.stringify(healthyStatus(sirenId(k), bootId, seq, ts));
}

export const statusTopic = (k: number) => sirenTopic(TOPIC_ROOT, sirenId(k), 'status');

/**
 * The messages of publisher connection `lane` of `lanes`, in order: each siren always goes through the
 * same connection, so its seq reach the broker in order.
 */
export function* laneMessages(lane: number, lanes: number, sirens: number, messages: number): Generator<{ k: number; seq: number }> {
  for (let seq = 0; seq * sirens < messages; seq++) {
    for (let k = lane; k < sirens && seq * sirens + k < messages; k += lanes) yield { k, seq };
  }
}
