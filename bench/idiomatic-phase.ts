/**
 * Phase 3, the idiomatic baseline issue 8 asks for: the same traffic into the plainest correct service
 * one would write first — mqtt.js, JSON.parse, one TypeORM `repository.save()` per message, the ack
 * after the save (so nothing is lost) — on its own fresh PostgreSQL database. It is slow, so it takes a
 * bounded share of the messages; its rate is what the README compares the service with.
 */
import mqtt from 'mqtt';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/migrations.js';
import { StatusPointEntity } from '../src/history/status-point.entity.js';
import { startPublishing, type PhaseRun } from './publish.js';
import { TOPIC_ROOT } from './status-traffic.js';
import { waitForCount } from './wait.js';

export interface IdiomaticFigures {
  messages: number;
  msgPerS: number;
}

export async function runIdiomatic(run: PhaseRun, databaseUrl: string, messages: number): Promise<IdiomaticFigures> {
  const db = new DataSource({ type: 'postgres', url: databaseUrl, entities: [StatusPointEntity], migrations: MIGRATIONS, migrationsRun: true, logging: false });
  await db.initialize();
  run.onCleanup('phase 3 database connection', () => db.destroy());
  const points = db.getRepository(StatusPointEntity);
  const topic = `${TOPIC_ROOT}/sirens/+/status`;
  // No keepalive: at one save per round trip the PINGRESP waits behind thousands of queued messages,
  // and mqtt.js would drop the connection for want of it.
  const client = await mqtt.connectAsync(run.url, { clientId: `bench-idiomatic-${run.tag}`, protocolVersion: 4, clean: false, reconnectPeriod: 0, keepalive: 0 });
  run.onCleanup('phase 3 subscriber', () => (client.disconnected ? Promise.resolve() : client.endAsync(true)));
  let saved = 0;
  let firstAt = 0;
  let lastAt = 0;
  let failure: Error | null = null;
  client.handleMessage = (packet, ack) => {
    if (!firstAt) firstAt = Date.now();
    const s = JSON.parse(packet.payload.toString());
    const point = points.create({ sirenId: s.sirenId, bootId: s.bootId, seq: s.seq, ts: Date.parse(s.ts), receivedAt: Date.now(), mode: s.mode, mains: s.mains, batteryV: s.batteryV, batteryPct: s.batteryPct, temperatureC: s.temperatureC, rssiDbm: s.rssiDbm });
    points.save(point).then(
      () => {
        saved++;
        lastAt = Date.now();
        ack();
      },
      (e: Error) => (failure = e),
    );
  };
  await client.subscribeAsync(topic, { qos: 1 });
  const publishing = startPublishing({ url: run.url, clientIdPrefix: `bench-pub3-${run.tag}`, sirens: run.sirens, messages, bootPrefix: `b3-${run.tag}` });
  run.onCleanup('phase 3 publishers', publishing.stop);
  await Promise.all([publishing.done, waitForCount('idiomatic subscriber: messages saved', () => {
      if (failure) throw new Error(`idiomatic subscriber: save failed: ${failure.message}`);
      return saved;
    }, messages, run.stallMs)]);
  await client.unsubscribeAsync(topic);
  await client.endAsync();
  return { messages, msgPerS: saved / Math.max(0.001, (lastAt - firstAt) / 1000) };
}
