/**
 * One simulated siren as PROTOCOL.md describes it: its own MQTT session and will, birth, status
 * every `intervalS` and on change, commands judged and acknowledged, and the faults it is given.
 */
import { serverAvailabilityTopic, sirenTopic } from '../src/protocol/index.js';
import type { SignalPattern } from '../src/protocol/index.js';
import { Activities, httpGet } from './activities.js';
import type { ActivityKind } from './activities.js';
import type { Clock, TimerHandle } from './clock.js';
import { checkCommand, CommandMemory } from './command-check.js';
import type { AckReason } from './command-check.js';
import { conditionsOf, HEALTHY } from './conditions.js';
import type { Conditions } from './conditions.js';
import { Device } from './device.js';
import type { AssignedFault } from './fault-selection.js';
import type { FaultKind } from './fault-profile.js';
import type { SimSiren } from './fleet.js';
import type { Connector, SirenLink } from './link.js';
import { Outbox } from './outbox.js';
import type { OutChannel, StatusFate } from './outbox.js';
import { between } from './seed.js';

/** A rebooting siren is gone this long before it connects again. */
const REBOOT_DOWN_MS = 1000;
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30_000;
/** How long a dying connection waits for its last messages to be acknowledged. */
const FLUSH_WAIT_MS = 2000;

export type SirenNotice =
  | { type: 'connected'; sirenId: string; bdSeq: number }
  | { type: 'disconnected'; sirenId: string; clean: boolean; reason: string }
  | { type: 'connect-failed'; sirenId: string; error: string }
  | { type: 'sent'; sirenId: string; channel: 'availability' | OutChannel }
  | { type: 'status-fate'; sirenId: string; fate: StatusFate }
  | { type: 'command'; sirenId: string; commandId: string | null; accepted: boolean; reason: AckReason | null; detail: string | null; acked: boolean }
  | { type: 'activity'; sirenId: string; activity: ActivityKind; running: boolean }
  | { type: 'fault'; sirenId: string; kind: FaultKind; active: boolean };

export interface SirenSettings {
  siren: SimSiren;
  topicRoot: string;
  intervalS: number;
  /** The simulator's `--time-scale`. */
  timeScale: number;
  clock: Clock;
  random: () => number;
  connector: Connector;
  password?: string;
  secret?: string;
  findPattern(name: string): SignalPattern | undefined;
  notify(notice: SirenNotice): void;
  /** How a spoken message's audio is downloaded (default: HTTP GET). */
  fetchAudio?: (url: string) => Promise<Buffer>;
}


const ACTIVITY_OF: Partial<Record<string, ActivityKind>> = { activate: 'activation', 'silent-test': 'test', voice: 'voice' };

export class Siren {
  readonly id: string;
  private readonly device: Device;
  private readonly activities: Activities;
  private faults: AssignedFault[] = [];
  private c: Conditions = { ...HEALTHY };
  private outbox: Outbox | null = null;
  private link: SirenLink | null = null;
  /** Bumped whenever a link is dropped on purpose, so its late close is not taken for a loss. */
  private generation = 0;
  private connecting: Promise<boolean> | null = null;
  private inFlight = new Set<Promise<void>>();
  private nextBdSeq = 0;
  private bdSeq = 0;
  private timers: Record<'status' | 'reconnect' | 'flap' | 'reboot', TimerHandle | null> = { status: null, reconnect: null, flap: null, reboot: null };
  private reconnectMs = RECONNECT_MIN_MS;
  private statusSent = false;
  /** A tamper that happened while the link was down is reported once the link is up. */
  private tamperUnreported = false;
  private flapDown = false;
  private rebooting = false;
  private stopped = false;
  private maintenance = false;
  /** Kept across reboots, as a real siren keeps it in flash. */
  private readonly memory = new CommandMemory();
  private wasSounding = false;

  constructor(private readonly s: SirenSettings) {
    this.id = s.siren.id;
    this.device = new Device(s.siren, s.random);
    this.activities = new Activities({
      clock: s.clock,
      random: s.random,
      device: this.device,
      conditions: () => this.c,
      event: (body) => this.outbox?.event(body),
      fetchAudio: s.fetchAudio ?? httpGet,
      changed: (activity, running) => {
        s.notify({ type: 'activity', sirenId: this.id, activity, running });
        this.statusNow();
      },
    });
  }

  get online(): boolean {
    return this.link !== null;
  }

  get sounding(): boolean {
    const running = this.activities.running;
    return running === 'activation' || running === 'voice';
  }

  /** Boots and makes the first connection; false if the broker could not be reached. */
  start(): Promise<boolean> {
    this.boot();
    return this.connect();
  }

  addFault(fault: AssignedFault): void {
    this.faults.push(fault);
    this.faultsChanged(fault.fault.kind, true);
  }

  removeFault(fault: AssignedFault): void {
    this.faults = this.faults.filter((f) => f !== fault);
    this.faultsChanged(fault.fault.kind, false);
  }

  setMaintenance(on: boolean): void {
    if (this.maintenance === on) return;
    this.maintenance = on;
    this.statusNow();
  }

  /** Clean shutdown: the siren says offline itself, then disconnects, so no will fires. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const key of Object.keys(this.timers) as (keyof Siren['timers'])[]) this.clearTimer(key);
    this.activities.abandon();
    if (this.connecting) await this.connecting;
    const link = this.link;
    if (!link) return;
    this.outbox?.flushHeld();
    this.link = null;
    this.generation++;
    await this.settle();
    await link
      .publish(this.topic('availability'), JSON.stringify({ online: false, bdSeq: this.bdSeq }), true)
      .then(() => this.s.notify({ type: 'sent', sirenId: this.id, channel: 'availability' }))
      .catch(() => {});
    await link.close(true).catch(() => {});
    this.s.notify({ type: 'disconnected', sirenId: this.id, clean: true, reason: 'stopped' });
  }

  private topic(channel: OutChannel | 'availability' | 'cmd'): string {
    return sirenTopic(this.s.topicRoot, this.id, channel);
  }

  private boot(): void {
    // Unique across runs like a real siren's (a restarted simulator must not look like a replay of the
    // last run); the seeded part keeps it reproducible within a run on a fake clock.
    const bootId = `b-${Math.floor(this.s.clock.now()).toString(36)}-${Math.floor(this.s.random() * 2 ** 32).toString(16).padStart(8, '0')}`;
    this.outbox = new Outbox(this.id, bootId, this.s.clock, () => this.c, this.s.random,
      (channel, payload) => this.send(channel, payload),
      (fate) => this.s.notify({ type: 'status-fate', sirenId: this.id, fate }));
  }

  /** Not before start() has booted it, nor while a fault holds it down. */
  private shouldBeUp(): boolean {
    return this.outbox !== null && !this.stopped && !this.rebooting && !this.c.offline && !this.flapDown;
  }

  private clearTimer(key: keyof Siren['timers']): void {
    if (this.timers[key] !== null) this.s.clock.clearTimeout(this.timers[key]);
    this.timers[key] = null;
  }

  private connect(): Promise<boolean> {
    if (this.link) return Promise.resolve(true);
    if (!this.connecting) {
      this.connecting = this.openLink().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async openLink(): Promise<boolean> {
    const bdSeq = this.nextBdSeq++;
    const generation = ++this.generation;
    let link: SirenLink;
    try {
      link = await this.s.connector(
        {
          clientId: this.id,
          username: this.id,
          password: this.s.password,
          will: { topic: this.topic('availability'), payload: JSON.stringify({ online: false, bdSeq }) },
          subscriptions: [this.topic('cmd'), serverAvailabilityTopic(this.s.topicRoot)],
        },
        {
          // server/availability is subscribed as the ACL allows; the simulated siren needs nothing from it.
          onMessage: (topic, payload) => topic === this.topic('cmd') && this.command(payload),
          onLost: (reason) => generation === this.generation && this.lost(reason),
        },
      );
    } catch (e) {
      this.s.notify({ type: 'connect-failed', sirenId: this.id, error: (e as Error).message });
      this.scheduleReconnect();
      return false;
    }
    this.link = link;
    this.bdSeq = bdSeq;
    this.statusSent = false;
    this.reconnectMs = RECONNECT_MIN_MS;
    this.s.notify({ type: 'connected', sirenId: this.id, bdSeq });
    if (this.stopped) return true;
    const birth = {
      online: true, bdSeq, bootId: this.outbox!.bootId, intervalS: this.s.intervalS, model: this.s.siren.model,
      fw: this.s.siren.fw, capabilities: this.s.siren.capabilities, ts: this.outbox!.ts(),
    };
    this.send('availability', JSON.stringify(birth), true);
    this.statusNow();
    this.reportTamper();
    this.statusSent = true;
    this.scheduleStatus();
    this.reconcile();
    return true;
  }

  private send(channel: OutChannel | 'availability', payload: string, retain = false): void {
    if (!this.link) return;
    const p = this.link
      .publish(this.topic(channel), payload, retain)
      .then(() => this.s.notify({ type: 'sent', sirenId: this.id, channel }))
      .catch(() => {})
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits (briefly) until the broker has what was sent, so a dying link takes nothing with it. */
  private async settle(): Promise<void> {
    let timer: TimerHandle = null;
    const cap = new Promise<void>((resolve) => (timer = this.s.clock.setTimeout(resolve, FLUSH_WAIT_MS)));
    await Promise.race([Promise.allSettled([...this.inFlight]), cap]);
    this.s.clock.clearTimeout(timer);
  }

  private statusNow(): void {
    if (!this.link || !this.outbox) return;
    const now = this.s.clock.now();
    this.device.advance(now, this.c, this.wasSounding);
    this.wasSounding = this.sounding;
    const running = this.activities.running;
    const mode = running === 'test' ? 'testing' : running ? 'sounding' : this.maintenance ? 'maintenance' : 'idle';
    this.outbox.status({ mode, ...this.device.hardware(now, this.c, this.sounding) });
  }

  private scheduleStatus(): void {
    this.clearTimer('status');
    this.timers.status = this.s.clock.setTimeout(() => {
      this.statusNow();
      this.scheduleStatus();
    }, this.s.intervalS * 1000);
  }

  private lost(reason: string): void {
    this.link = null;
    this.clearTimer('status');
    this.s.notify({ type: 'disconnected', sirenId: this.id, clean: false, reason });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.shouldBeUp() || this.timers.reconnect !== null) return;
    const delay = this.reconnectMs * between(this.s.random, 0.5, 1.5);
    this.reconnectMs = Math.min(RECONNECT_MAX_MS, this.reconnectMs * 2);
    this.timers.reconnect = this.s.clock.setTimeout(() => {
      this.timers.reconnect = null;
      void this.connect();
    }, delay);
  }

  /** The connection dies without a goodbye (offline, flapping, reboot): the broker fires the will. */
  private async drop(reason: string): Promise<void> {
    const link = this.link;
    if (!link) return;
    this.link = null;
    this.generation++;
    this.clearTimer('status');
    await this.settle();
    await link.close(false).catch(() => {});
    this.s.notify({ type: 'disconnected', sirenId: this.id, clean: false, reason });
  }

  /** Brings the connection in line with what the faults want: up, or down once birth and a status are out. */
  private reconcile(): void {
    if (this.shouldBeUp()) {
      if (!this.link && !this.connecting && this.timers.reconnect === null) void this.connect();
    } else if (this.link && this.statusSent) {
      void this.drop(this.c.offline ? 'offline fault' : 'flapping');
    }
  }

  private faultsChanged(kind: FaultKind, active: boolean): void {
    const before = this.c;
    this.device.advance(this.s.clock.now(), before, this.wasSounding);
    this.c = conditionsOf(this.faults.map((f) => f.fault));
    this.s.notify({ type: 'fault', sirenId: this.id, kind, active });
    if (kind === 'reboot') {
      if (active) void this.reboot();
      return;
    }
    if (kind === 'flapping') this.flap(active);
    if (before.doorOpen !== this.c.doorOpen) this.outbox?.event({ type: this.c.doorOpen ? 'door.opened' : 'door.closed' });
    if (kind === 'tamper' && active) {
      this.tamperUnreported = true;
      this.reportTamper();
    }
    this.statusNow();
    this.reconcile();
  }

  private reportTamper(): void {
    if (!this.tamperUnreported || !this.link) return;
    this.outbox?.event({ type: 'tamper' });
    this.tamperUnreported = false;
  }

  /** Up and down in turns of `periodS`, starting up. */
  private flap(active: boolean): void {
    this.clearTimer('flap');
    this.flapDown = false;
    if (!active || this.c.flappingPeriodS === null) return;
    const periodMs = this.c.flappingPeriodS * 1000;
    const toggle = () => {
      this.flapDown = !this.flapDown;
      this.reconcile();
      this.timers.flap = this.s.clock.setTimeout(toggle, periodMs);
    };
    this.timers.flap = this.s.clock.setTimeout(toggle, periodMs);
  }

  /** A watchdog reset: the link dies, and a second later a new boot (new bootId, seq from 0) connects. */
  private async reboot(): Promise<void> {
    this.rebooting = true;
    this.activities.abandon();
    await this.drop('reboot');
    this.timers.reboot = this.s.clock.setTimeout(() => {
      this.timers.reboot = null;
      this.rebooting = false;
      this.boot();
      this.reconcile();
    }, REBOOT_DOWN_MS);
  }

  private command(raw: Buffer): void {
    const notice = { type: 'command' as const, sirenId: this.id };
    if (this.c.noAck) {
      this.s.notify({ ...notice, commandId: null, accepted: false, reason: null, detail: 'no-ack fault: ignored', acked: false });
      return;
    }
    const check = checkCommand(raw, {
      ownNow: this.s.clock.now() + this.c.clockOffsetS * 1000,
      secret: this.s.secret,
      memory: this.memory,
      simTimeScale: this.s.timeScale,
      capabilities: this.s.siren.capabilities,
      maintenance: this.maintenance,
      busy: this.activities.busy,
      findPattern: this.s.findPattern,
    });
    const commandId = check.accepted ? check.command.commandId : check.commandId;
    let accepted = check.accepted;
    let reason: AckReason | null = check.accepted ? null : check.reason;
    let detail = check.accepted ? null : check.detail;
    if (accepted && this.c.rejectReason) [accepted, reason, detail] = [false, this.c.rejectReason, 'reject fault'];
    this.s.notify({ ...notice, commandId, accepted, reason, detail, acked: commandId !== null });
    if (commandId === null) return;
    const activity = check.accepted ? ACTIVITY_OF[check.command.type] : undefined;
    if (accepted && activity) this.activities.reserve(activity, commandId);
    const outbox = this.outbox;
    const delay = this.c.ackDelayMs ?? between(this.s.random, 100, 2000);
    this.s.clock.setTimeout(() => {
      // A reboot or a stop in between forgets the command.
      if (this.stopped || this.outbox !== outbox) return;
      this.outbox!.ack({ commandId, accepted, reason });
      if (!accepted || !check.accepted) return;
      const { command, pattern } = check;
      if (command.type === 'poll') this.statusNow();
      else if (command.type === 'cancel') this.activities.cancel();
      else this.activities.start(command, pattern);
    }, delay);
  }
}
