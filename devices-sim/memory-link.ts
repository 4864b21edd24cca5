/**
 * An in-process stand-in for the broker: records what each siren publishes and lets a test hand
 * it commands, so siren behaviour can be checked with a ManualClock and no network.
 */
import type { Connector, LinkHandlers, LinkOptions } from './link.js';

export interface MemoryMessage {
  clientId: string;
  topic: string;
  payload: string;
  retain: boolean;
}

export interface MemorySession {
  options: LinkOptions;
  handlers: LinkHandlers;
  open: boolean;
  /** How it ended: a DISCONNECT (no will) or a dead socket (the will is published). */
  ended?: 'clean' | 'will';
}

export class MemoryBroker {
  readonly messages: MemoryMessage[] = [];
  readonly sessions: MemorySession[] = [];
  /** While set, connection attempts fail with this message. */
  refuse: string | null = null;

  readonly connector: Connector = async (options, handlers) => {
    if (this.refuse !== null) throw new Error(this.refuse);
    const session: MemorySession = { options, handlers, open: true };
    this.sessions.push(session);
    return {
      publish: async (topic, payload, retain = false) => {
        if (!session.open) throw new Error('connection closed');
        this.messages.push({ clientId: options.clientId, topic, payload, retain });
      },
      close: async (clean) => this.end(session, clean ? 'clean' : 'will'),
    };
  };

  private end(session: MemorySession, how: 'clean' | 'will'): void {
    if (!session.open) return;
    session.open = false;
    session.ended = how;
    if (how === 'will') this.messages.push({ clientId: session.options.clientId, topic: session.options.will.topic, payload: session.options.will.payload, retain: true });
  }

  /** The broker loses the connection (a network fault): the will fires and the siren is told. */
  drop(clientId: string): void {
    const session = this.current(clientId);
    if (!session) return;
    this.end(session, 'will');
    session.handlers.onLost('connection lost');
  }

  current(clientId: string): MemorySession | undefined {
    return this.sessions.filter((s) => s.options.clientId === clientId && s.open).at(-1);
  }

  /** Delivers a message to a connected siren subscribed to the topic. */
  deliver(clientId: string, topic: string, payload: string | object): void {
    const session = this.current(clientId);
    if (!session || !session.options.subscriptions.includes(topic)) return;
    session.handlers.onMessage(topic, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
  }

  /** Messages on topics ending with `/channel`, as parsed JSON where they parse. */
  on(channel: string, clientId?: string): { topic: string; retain: boolean; body: Record<string, unknown> | string }[] {
    return this.messages
      .filter((m) => m.topic.endsWith(`/${channel}`) && (clientId === undefined || m.clientId === clientId))
      .map((m) => {
        try {
          return { topic: m.topic, retain: m.retain, body: JSON.parse(m.payload) as Record<string, unknown> };
        } catch {
          return { topic: m.topic, retain: m.retain, body: m.payload };
        }
      });
  }
}
