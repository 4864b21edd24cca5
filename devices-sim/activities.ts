/**
 * What a siren does once it has accepted a command: sound a pattern, run a silent test, speak a
 * message. One at a time; `cancel` ends a running activation or message.
 */
import { createHash } from 'node:crypto';
import { probeAudio } from '../src/protocol/audio-format.js';
import type { Command, SignalPattern } from '../src/protocol/index.js';
import type { Clock } from './clock.js';
import type { Conditions } from './conditions.js';
import type { Device } from './device.js';
import type { EventBody } from './outbox.js';
import { Playback } from './playback.js';

export type ActivityKind = 'activation' | 'test' | 'voice';

/** A silent test exercises the amplifiers into a dummy load for a few seconds. */
const TEST_DURATION_S = 3;
/** Speech rates of the siren's synthesiser, for the length of a text message. */
const CJK_CHARS_PER_S = 4;
const LATIN_CHARS_PER_S = 14;

export interface ActivityHost {
  clock: Clock;
  random: () => number;
  device: Device;
  conditions(): Conditions;
  event(body: EventBody): void;
  /** Downloads a spoken message's audio file (over HTTP from the centre). */
  fetchAudio(url: string): Promise<Buffer>;
  /** Mode changed (sounding, testing, idle): the host sends a status at once. */
  changed(kind: ActivityKind, running: boolean): void;
}

interface Activity {
  kind: ActivityKind;
  commandId: string;
  running: boolean;
  /** Stops its timers without a word. */
  halt?: () => void;
  /** Stops and reports `result: cancelled` (activations and messages). */
  cancel?: () => void;
}

/** How a real siren downloads a spoken message's audio: one HTTP GET, given up after 30 s. */
export async function httpGet(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Seconds the synthesiser takes to speak a text once. */
export function speechS(text: string): number {
  const cjk = /[\u3000-\u9fff]/.test(text);
  return Math.max(2, text.length / (cjk ? CJK_CHARS_PER_S : LATIN_CHARS_PER_S));
}

export class Activities {
  private current: Activity | null = null;

  constructor(private readonly host: ActivityHost) {}

  /** Busy from acceptance on, so a second command during the ack delay is refused. */
  get busy(): boolean {
    return this.current !== null;
  }

  get running(): ActivityKind | null {
    return this.current?.running ? this.current.kind : null;
  }

  reserve(kind: ActivityKind, commandId: string): void {
    this.current = { kind, commandId, running: false };
  }

  /** Starts the reserved activity; under `no-report` the siren acks and then does nothing. */
  start(command: Command, pattern?: SignalPattern): void {
    const a = this.current;
    if (!a || a.commandId !== command.commandId) return;
    if (this.host.conditions().noReport) {
      this.current = null;
      return;
    }
    a.running = true;
    this.host.changed(a.kind, true);
    if (a.kind === 'activation') this.activate(a, command, pattern!);
    else if (a.kind === 'test') this.test(a, command);
    else this.voice(a, command);
  }

  /** Ends a running activation or message (or drops one not yet started). */
  cancel(): void {
    const a = this.current;
    if (!a || a.kind === 'test') return;
    if (a.running && a.cancel) a.cancel();
    else this.current = null;
  }

  /** Silently abandons whatever runs (the siren is shutting down or rebooting). */
  abandon(): void {
    this.current?.halt?.();
    this.current = null;
  }

  private end(a: Activity): void {
    if (this.current !== a) return;
    this.current = null;
    this.host.changed(a.kind, false);
  }

  private activate(a: Activity, command: Command, pattern: SignalPattern): void {
    const { host } = this;
    host.event({ type: 'activation.started', commandId: a.commandId, pattern: pattern.name });
    const report = (result: 'completed' | 'cancelled', onSeconds: number[]) => {
      const sound = host.device.sound(host.conditions());
      host.event({
        type: 'activation.finished',
        commandId: a.commandId,
        pattern: pattern.name,
        result: result === 'cancelled' ? 'cancelled' : sound.result,
        onSeconds,
        soundDb: sound.soundDb,
        ...(result === 'completed' && sound.failure ? { failure: sound.failure } : {}),
      });
      this.end(a);
    };
    const playback = new Playback(
      host.clock,
      pattern,
      { timeScale: command.timeScale, driftFactor: host.conditions().driftFactor, random: host.random },
      (onSeconds) => report('completed', onSeconds),
    );
    a.halt = () => playback.cancel();
    a.cancel = () => report('cancelled', playback.cancel());
    playback.start();
  }

  private test(a: Activity, command: Command): void {
    const timer = this.host.clock.setTimeout(() => {
      this.host.event({ type: 'test.result', commandId: a.commandId, ...this.host.device.selfTest(this.host.conditions()) });
      this.end(a);
    }, TEST_DURATION_S * command.timeScale * 1000);
    a.halt = () => this.host.clock.clearTimeout(timer);
  }

  /** A text is spoken at once; an audio file is first fetched (once) and checked against its sha256. */
  private voice(a: Activity, command: Command): void {
    const repeat = command.repeat ?? 1;
    if (!command.audioUrl) return this.speak(a, command, speechS(command.text ?? '') * repeat);
    const { host } = this;
    let halted = false;
    a.halt = () => (halted = true);
    a.cancel = () => {
      halted = true;
      this.end(a);
    };
    const fail = () => {
      host.event({ type: 'voice.finished', messageId: command.messageId!, result: 'failed', durationS: 0, soundDb: null });
      this.end(a);
    };
    host.fetchAudio(command.audioUrl).then(
      (bytes) => {
        if (halted || this.current !== a) return;
        const probe = probeAudio(bytes);
        if (createHash('sha256').update(bytes).digest('hex') !== command.sha256 || !probe.ok) return fail();
        this.speak(a, command, probe.durationS * repeat);
      },
      () => !halted && fail(),
    );
  }

  private speak(a: Activity, command: Command, durationS: number): void {
    const { host } = this;
    const messageId = command.messageId!;
    const startedAt = host.clock.now();
    // PROTOCOL.md's voice events name the message; the centre finds the command by it.
    host.event({ type: 'voice.started', messageId });
    // voice-fail: it speaks on and on; nothing ever reports the end.
    if (host.conditions().voiceFail) {
      a.halt = () => {};
      a.cancel = () => this.end(a);
      return;
    }
    const report = (result: 'completed' | 'cancelled', playedS: number) => {
      const sound = host.device.sound(host.conditions(), true);
      host.event({
        type: 'voice.finished',
        messageId,
        result: result === 'cancelled' ? 'cancelled' : sound.result,
        durationS: Math.round(playedS * 10) / 10,
        soundDb: sound.soundDb,
      });
      this.end(a);
    };
    const timer = host.clock.setTimeout(() => report('completed', durationS), durationS * command.timeScale * 1000);
    a.halt = () => host.clock.clearTimeout(timer);
    a.cancel = () => {
      host.clock.clearTimeout(timer);
      report('cancelled', (host.clock.now() - startedAt) / 1000 / command.timeScale);
    };
  }
}
