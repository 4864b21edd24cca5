/**
 * What a siren does once it has accepted a command: sound a pattern, run a silent test, speak a
 * message. One at a time; `cancel` ends a running activation or message.
 */
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
/** The length assumed for a downloaded audio file, which the simulator does not fetch. */
const AUDIO_FILE_S = 20;

export interface ActivityHost {
  clock: Clock;
  random: () => number;
  device: Device;
  conditions(): Conditions;
  event(body: EventBody): void;
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

export function voiceDurationS(command: Command): number {
  const repeat = command.repeat ?? 1;
  if (!command.text) return AUDIO_FILE_S * repeat;
  const cjk = /[\u3000-\u9fff]/.test(command.text);
  const length = command.text.length / (cjk ? CJK_CHARS_PER_S : LATIN_CHARS_PER_S);
  return Math.round(Math.max(2, length) * repeat * 10) / 10;
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

  private voice(a: Activity, command: Command): void {
    const { host } = this;
    const messageId = command.messageId!;
    const startedAt = host.clock.now();
    host.event({ type: 'voice.started', messageId, commandId: a.commandId });
    const report = (result: 'completed' | 'cancelled', durationS: number) => {
      const sound = host.device.sound(host.conditions(), true);
      host.event({
        type: 'voice.finished',
        messageId,
        commandId: a.commandId,
        result: result === 'cancelled' ? 'cancelled' : sound.result,
        durationS: Math.round(durationS * 10) / 10,
        soundDb: sound.soundDb,
      });
      this.end(a);
    };
    const durationS = voiceDurationS(command);
    const timer = host.clock.setTimeout(() => report('completed', durationS), durationS * command.timeScale * 1000);
    a.halt = () => host.clock.clearTimeout(timer);
    a.cancel = () => {
      host.clock.clearTimeout(timer);
      report('cancelled', (host.clock.now() - startedAt) / 1000 / command.timeScale);
    };
  }
}
