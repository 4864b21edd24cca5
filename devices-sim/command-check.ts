/** How a siren judges a command before acting on it (PROTOCOL.md: rejections and their reasons). */
import { ACK_REASONS, parseCommand, verifyCommandSignature } from '../src/protocol/index.js';
import type { Command, SignalPattern } from '../src/protocol/index.js';

export type AckReason = (typeof ACK_REASONS)[number];

const MEMORY_LIMIT = 10_000;

/**
 * The commandIds a siren has taken (Dallas 2017: recorded radio commands replayed). An id is kept
 * until its command expires, after which a replay is refused as expired anyway; at most 10 000.
 */
export class CommandMemory {
  private readonly expiries = new Map<string, number>();

  /** True the first time an id is seen; remembers it. */
  firstSight(commandId: string, expiresAt: number, now: number): boolean {
    for (const [id, until] of this.expiries) if (until < now) this.expiries.delete(id);
    if (this.expiries.has(commandId)) return false;
    if (this.expiries.size >= MEMORY_LIMIT) this.expiries.delete(this.expiries.keys().next().value!);
    this.expiries.set(commandId, expiresAt);
    return true;
  }
}

export interface CommandContext {
  /** The siren's own clock (skewed under a clock-skew fault), in ms. */
  ownNow: number;
  /** The siren's provisioned secret: then only correctly signed commands are valid. */
  secret?: string;
  /** The ids already taken: a command seen before is a replay. */
  memory?: CommandMemory;
  /** The simulator's `--time-scale`: the only `timeScale` other than 1 it accepts. */
  simTimeScale: number;
  capabilities: readonly string[];
  maintenance: boolean;
  /** An activation, test or spoken message is running or about to start. */
  busy: boolean;
  findPattern(name: string): SignalPattern | undefined;
}

export type CommandCheck =
  | { accepted: true; command: Command; pattern?: SignalPattern }
  | { accepted: false; commandId: string | null; reason: AckReason; detail: string };

/** The id to acknowledge even a malformed command with, when it carries a usable one. */
function commandIdOf(json: unknown): string | null {
  const id = typeof json === 'object' && json !== null ? (json as { commandId?: unknown }).commandId : undefined;
  return typeof id === 'string' && id.length >= 1 && id.length <= 64 ? id : null;
}

function rawJson(raw: Buffer | string): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function checkCommand(raw: Buffer | string, ctx: CommandContext): CommandCheck {
  const json = rawJson(raw);
  const commandId = commandIdOf(json);
  const reject = (reason: AckReason, detail: string): CommandCheck => ({ accepted: false, commandId, reason, detail });

  const parsed = parseCommand(raw);
  if (!parsed.ok) return reject('invalid', `${parsed.reason}: ${parsed.detail}`);
  const command = parsed.value;
  // The signature covers the JSON as sent, before zod filled in defaults such as timeScale.
  if (ctx.secret !== undefined && !verifyCommandSignature(json as object, ctx.secret)) {
    return reject('invalid', command.sig === undefined ? 'unsigned command' : 'wrong signature');
  }
  if (ctx.memory && !ctx.memory.firstSight(command.commandId, Date.parse(command.expiresAt), ctx.ownNow)) {
    return reject('invalid', `replayed commandId ${command.commandId}`);
  }
  if (command.timeScale !== 1 && Math.abs(command.timeScale - ctx.simTimeScale) > 1e-9) {
    return reject('invalid', `timeScale ${command.timeScale} is not this simulator's ${ctx.simTimeScale}`);
  }
  if (command.type === 'activate' && !command.pattern) return reject('invalid', 'activate without a pattern');
  if (command.type === 'voice') {
    if (!ctx.capabilities.includes('voice')) return reject('invalid', 'not a multimedia siren');
    if (!command.messageId || (!command.text && !(command.audioUrl && command.sha256))) {
      return reject('invalid', 'voice needs messageId and text, or audioUrl with sha256');
    }
  }
  if (ctx.ownNow > Date.parse(command.expiresAt)) return reject('expired', `expired at ${command.expiresAt}`);
  if (ctx.maintenance) return reject('maintenance', 'in maintenance mode');
  let pattern: SignalPattern | undefined;
  if (command.type === 'activate') {
    pattern = ctx.findPattern(command.pattern!);
    if (!pattern) return reject('unknown-pattern', `unknown pattern ${command.pattern}`);
  }
  if (ctx.busy && (command.type === 'activate' || command.type === 'silent-test' || command.type === 'voice')) {
    return reject('busy', 'already sounding or testing');
  }
  return { accepted: true, command, pattern };
}
