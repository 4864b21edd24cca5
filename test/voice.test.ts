/**
 * Spoken messages against the simulator: only multimedia sirens get the `voice` command, each outcome
 * equals the ground truth, audio files open once with their token and never without, bad uploads are
 * refused with the reason, and the roles hold.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt from 'mqtt';
import { createHash } from 'node:crypto';
import { startSimulation, validateFaultProfile, type SimulationHandle } from '../devices-sim/index.js';
import { wavFile } from '../src/protocol/audio-format.js';
import { registryToCsv, type RegistryRow } from '../src/protocol/registry-format.js';
import { backends, eventually, externalServers, uniq } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';

const TIME_SCALE = 0.1;
/** A voice message as the tests send it: quick, and a rehearsal. */
const QUICK = { timeScale: TIME_SCALE, ackTimeoutS: 5, exercise: true };

interface Captured {
  sirenId: string;
  retained: boolean;
  cmd: Record<string, any>;
}

describe.each(backends())('spoken messages (%s)', (backend) => {
  const tag = uniq().slice(0, 4);
  const id = (name: string) => `${name}-${tag}`;
  const row = (name: string, model: string, districtCode = '360102', i = 0): RegistryRow => ({
    id: id(name), name, districtCode, districtName: districtCode === '360102' ? '东湖区' : '青山湖区', lat: 28.68, lon: 115.9 + i * 0.001, model,
  });
  // V*: multimedia (MMS-300) sirens, T*: tone only; V5 stands in another district.
  const FLEET = [
    row('V1', 'MMS-300', '360102', 1), row('V2', 'MMS-300', '360102', 2), row('V3', 'MMS-300', '360102', 3), row('V4', 'MMS-300', '360102', 4),
    row('T1', 'HDS-1000', '360102', 5), row('T2', 'HDS-600', '360102', 6), row('V5', 'MMS-300', '360111', 7),
  ];
  let svc: TestService;
  let sim: SimulationHandle;
  let observer: mqtt.MqttClient;
  let dropDb: (() => Promise<void>) | undefined;
  const commands: Captured[] = [];

  const upload = async (bytes: Buffer, type: string, token?: string) =>
    fetch(`${svc.baseUrl}/api/voice/audio`, { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': type, authorization: `Bearer ${token ?? (await svc.token())}` } });
  const json = async (r: Response) => (await r.json()) as Record<string, any>;
  const sendMessage = async (body: object) => {
    const draft = await svc.request('POST', '/api/voice/messages', { body: { ...QUICK, ...body } });
    expect([draft.status, draft.body.state]).toEqual([201, 'draft']);
    const sent = await svc.request('POST', `/api/voice/messages/${draft.body.id}/send`);
    expect([sent.status, sent.body.state]).toEqual([200, 'sending']);
    return eventually(async () => {
      const m = await svc.get(`/api/voice/messages/${draft.body.id}`);
      return m.state === 'completed' ? m : null;
    }, 30_000, 'message completed');
  };
  const verdicts = (m: { results: { sirenId: string; verdict: string }[] }) => Object.fromEntries(m.results.map((r) => [r.sirenId, r.verdict]));
  const voiceCommandsOf = (messageId: string) => commands.filter((c) => c.cmd.type === 'voice' && c.cmd.messageId === messageId);

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl, env: { SIMULATION: 'true' } });
    const imported = await svc.request('POST', '/api/sirens/import', { body: registryToCsv(FLEET), contentType: 'text/csv' });
    expect(imported.body.rejected).toEqual([]);
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
    observer = await mqtt.connectAsync(svc.mqttUrl, { clientId: `voice-observer-${tag}` });
    observer.on('message', (topic, payload, packet) => commands.push({ sirenId: topic.split('/').at(-2)!, retained: packet.retain, cmd: JSON.parse(payload.toString()) }));
    await observer.subscribeAsync(`${svc.topicRoot}/sirens/+/cmd`, { qos: 1 });
    const profile = validateFaultProfile({ seed: 5, faults: [{ kind: 'voice-fail', sirens: [id('V3')] }, { kind: 'voice-mute', sirens: [id('V4')] }] });
    if (!profile.ok) throw new Error(profile.errors.join('; '));
    sim = await startSimulation({ url: svc.mqttUrl, sirens: FLEET, faults: profile.profile, intervalS: 2, timeScale: TIME_SCALE, topicRoot: svc.topicRoot, drillPatterns: ['test.short'] });
    await sim.allConnected();
    await eventually(async () => (await svc.get('/api/summary')).byHealth.ok === FLEET.length, 15_000, 'fleet ok');
  }, 60_000);

  afterAll(async () => {
    await observer?.endAsync();
    await sim?.stop();
    await svc?.close();
    await dropDb?.();
  });

  it('speaks a Chinese text to a district through its multimedia sirens only, judged as the ground truth says', async () => {
    const done = await sendMessage({ scope: { districtCodes: ['360102'] }, language: 'zh-CN', text: '请注意：这是一次语音广播演练。' });
    const truth = sim.groundTruth();
    const spoken = ['V1', 'V2', 'V3', 'V4'].map(id);
    expect(verdicts(done)).toEqual({ [id('V1')]: 'PASS', [id('V2')]: 'PASS', [id('V3')]: 'FAIL_NO_REPORT', [id('V4')]: 'FAIL_NO_SOUND' });
    expect(verdicts(done)).toEqual(Object.fromEntries(spoken.map((s) => [s, truth.sirens[s].expectedVerdict!.voice])));
    expect(done.skipped.sort()).toEqual([id('T1'), id('T2')]);
    expect(done.summary).toEqual({ pass: 2, fail: 2, pending: 0 });
    const sent = voiceCommandsOf(done.id);
    expect(sent.map((c) => c.sirenId).sort()).toEqual(spoken);
    for (const { cmd, retained } of sent) {
      expect(retained).toBe(false);
      expect(cmd).toMatchObject({ language: 'zh-CN', text: '请注意：这是一次语音广播演练。', repeat: 1, exercise: true, timeScale: TIME_SCALE });
      expect(Date.parse(cmd.expiresAt) - Date.parse(cmd.issuedAt)).toBe(30_000);
    }
    // The run is a drill with a voice step: its report names the failures.
    const csv = await svc.request('GET', `/api/drills/${done.runId}/report.csv`);
    expect(csv.body).toContain('voice message: no report within 5.5 s of the ack');
    const audit = await svc.get(`/api/audit?action=voice.send`);
    expect(audit[0]).toMatchObject({ actor: 'admin', target: done.id });
  }, 60_000);

  it('serves an uploaded file once per command token, never without; tone-only sirens sound the tone', async () => {
    const wav = wavFile(2);
    const up = await upload(wav, 'audio/wav');
    const audio = await json(up);
    expect([up.status, audio]).toEqual([201, expect.objectContaining({ sha256: createHash('sha256').update(wav).digest('hex'), format: 'wav', durationS: 2 })]);
    const done = await sendMessage({ scope: { sirenIds: [id('V1'), id('V2'), id('T1')] }, audioId: audio.id, tonePattern: 'test.short' });
    expect(done.results.map((r: { sirenId: string; via: string; verdict: string }) => [r.sirenId, r.via, r.verdict])).toEqual([
      [id('T1'), 'tone', 'PASS'], [id('V1'), 'voice', 'PASS'], [id('V2'), 'voice', 'PASS'],
    ]);
    const urls = voiceCommandsOf(done.id).map((c) => c.cmd.audioUrl as string);
    expect(new Set(urls).size).toBe(2);
    for (const c of voiceCommandsOf(done.id)) expect(c.cmd.sha256).toBe(audio.sha256);
    // The sirens fetched each URL (they passed, having checked the sha256): a second fetch is refused.
    for (const url of urls) expect((await fetch(url)).status).toBe(403);
    expect((await fetch(`${urls[0].slice(0, -4)}AAAA`)).status).toBe(404);
    expect((await fetch(`${svc.baseUrl}/api/voice/audio/fetch/`)).status).toBe(404);
    expect((await fetch(`${svc.baseUrl}/api/voice/audio/${audio.id}`)).status).toBe(404);
    const multipart = new FormData();
    multipart.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'msg.wav');
    const viaForm = await fetch(`${svc.baseUrl}/api/voice/audio`, { method: 'POST', body: multipart, headers: { authorization: `Bearer ${await svc.token()}` } });
    expect(viaForm.status).toBe(201);
  }, 60_000);

  it('plays a drill’s voice segment and an alert’s message, judged the same way', async () => {
    const planned = await svc.request('POST', '/api/drills', {
      body: { name: `9·18 with announcement ${tag}`, scope: { sirenIds: [id('V1'), id('T1')] }, mode: 'audible', patterns: ['test.short', 'voice'], gapS: 0, ackTimeoutS: 5, timeScale: TIME_SCALE, voice: { text: '现在进行防空警报试鸣演练。' } },
    });
    expect(planned.status).toBe(201);
    await svc.request('POST', `/api/drills/${planned.body.id}/start`);
    const drill = await eventually(async () => {
      const d = await svc.get(`/api/drills/${planned.body.id}`);
      return d.state === 'completed' ? d : null;
    }, 30_000, 'drill completed');
    expect(verdicts(drill)).toEqual({ [id('T1')]: 'PASS', [id('V1')]: 'PASS' });
    expect(voiceCommandsOf(planned.body.id).map((c) => c.sirenId)).toEqual([id('V1')]);
    const noVoice = await svc.request('POST', '/api/drills', { body: { name: 'x', scope: { all: true }, mode: 'audible', patterns: ['voice'] } });
    expect([noVoice.status, noVoice.body.message]).toEqual([400, 'body: patterns.0: a "voice" step needs the voice segment (field voice)']);

    const cap = `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>V-${tag}</identifier><sender>cd@nanchang.gov.cn</sender><sent>2026-11-30T10:00:00+08:00</sent><status>Exercise</status><msgType>Alert</msgType><scope>Public</scope><info><language>zh-CN</language><category>Safety</category><event>演练</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><area><areaDesc>青山湖区</areaDesc><geocode><valueName>GB/T2260</valueName><value>360111</value></geocode></area></info></alert>`;
    const alert = await svc.request('POST', '/api/alerts', { body: cap, contentType: 'application/cap+xml' });
    const done = await sendMessage({ scope: { alertId: alert.body.id }, text: '请留在室内。', exercise: false });
    expect(verdicts(done)).toEqual({ [id('V5')]: 'PASS' });
    // An Exercise alert's message is an exercise, whatever the operator asked.
    expect(voiceCommandsOf(done.id)[0].cmd).toMatchObject({ exercise: true, alertId: alert.body.id });
    expect((await svc.get(`/api/alerts/${alert.body.id}`)).spokenMessages).toEqual([{ id: done.runId, state: 'completed', exercise: true, sounded: 1, failed: 0 }]);
  }, 60_000);

  it('refuses bad uploads and bad messages with the reason, storing nothing', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const notAudio = await upload(png, 'audio/mpeg');
    expect([notAudio.status, (await json(notAudio)).message]).toEqual([415, expect.stringContaining('not a WAV, MP3 or Ogg file')]);
    const tooLong = await upload(wavFile(301), 'audio/wav');
    expect([tooLong.status, (await json(tooLong)).message]).toEqual([400, 'audio file: plays 301.0 s, longer than the limit of 300 s (5 minutes)']);
    const big = Buffer.concat([wavFile(1), Buffer.alloc(20 * 1024 * 1024)]);
    const tooBig = await upload(big, 'audio/wav');
    expect([tooBig.status, (await json(tooBig)).message]).toEqual([413, expect.stringContaining('over the limit of 20971520 (20 MB)')]);
    const both = await svc.request('POST', '/api/voice/messages', { body: { scope: { districtCodes: ['360102'] }, text: '测试', audioId: 'x' } });
    expect([both.status, both.body.message]).toEqual([400, 'body: text: give either text or audioId (one of the two)']);
    const nowhere = await svc.request('POST', '/api/voice/messages', { body: { scope: { districtCodes: ['999999'] }, text: '测试' } });
    expect([nowhere.status, nowhere.body.message]).toEqual([400, 'scope.districtCodes: no registered siren in 999999']);
    const noTone = await svc.request('POST', '/api/voice/messages', { body: { scope: { sirenIds: [id('T1')] }, text: '测试', ...QUICK } });
    const refused = await svc.request('POST', `/api/voice/messages/${noTone.body.id}/send`);
    expect([refused.status, refused.body.message]).toEqual([409, expect.stringContaining('none has the voice capability')]);
    expect((await svc.get(`/api/voice/messages/${noTone.body.id}`)).state).toBe('draft');
  }, 30_000);

  it('lets viewers read, operators compose and send, engineers set capabilities', async () => {
    for (const [username, role] of [[`vi-${tag}`, 'viewer'], [`op-${tag}`, 'operator']]) {
      expect((await svc.request('POST', '/api/users', { body: { username, password: `${role}-password-1`, role } })).status).toBe(201);
    }
    const viewer = await svc.token(`vi-${tag}`, 'viewer-password-1');
    const operator = await svc.token(`op-${tag}`, 'operator-password-1');
    const body = { scope: { sirenIds: [id('V5')] }, text: 'Please stay indoors.', language: 'en', ...QUICK };
    expect((await svc.request('GET', '/api/voice/messages', { token: null })).status).toBe(401);
    expect((await svc.request('POST', '/api/voice/messages', { token: viewer, body })).status).toBe(403);
    expect((await upload(wavFile(1), 'audio/wav', viewer)).status).toBe(403);
    expect((await svc.request('GET', '/api/voice/messages', { token: viewer })).status).toBe(200);
    expect((await svc.request('GET', '/api/voice/templates', { token: viewer })).body.map((t: { id: string }) => t.id)).toEqual(['drill-918', 'shelter']);
    const draft = await svc.request('POST', '/api/voice/messages', { token: operator, body });
    expect((await svc.request('POST', `/api/voice/messages/${draft.body.id}/send`, { token: viewer })).status).toBe(403);
    expect((await svc.request('POST', `/api/voice/messages/${draft.body.id}/send`, { token: operator })).status).toBe(200);
    expect((await svc.request('POST', `/api/voice/messages/${draft.body.id}/send`, { token: operator })).status).toBe(409);

    const voiceIds = async () => (await svc.get('/api/sirens?capability=voice')).map((s: { id: string }) => s.id);
    expect(await voiceIds()).toEqual(['V1', 'V2', 'V3', 'V4', 'V5'].map(id));
    const put = (capabilities: string[] | null, token?: string) => svc.request('PUT', `/api/sirens/${id('T1')}/capabilities`, { token, body: { capabilities } });
    expect((await put(['tone', 'voice'], operator)).status).toBe(403);
    expect((await put(['tone', 'voice'])).body).toEqual({ id: id('T1'), capabilities: ['tone', 'voice'] });
    expect(await voiceIds()).toContain(id('T1'));
    expect((await svc.get(`/api/sirens/${id('T1')}`)).announcedCapabilities).toEqual(['tone']);
    await put(null);
    expect(await voiceIds()).not.toContain(id('T1'));
  }, 30_000);
});
