/** Topic names of PROTOCOL.md, relative to a configurable root (default `sirenwatch/v1`). */
export const DEFAULT_TOPIC_ROOT = 'sirenwatch/v1';

export const SIREN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Channels a siren publishes on. */
export const SIREN_CHANNELS = ['availability', 'status', 'event', 'ack'] as const;
export type SirenChannel = (typeof SIREN_CHANNELS)[number];

export function isSirenId(id: string): boolean {
  return SIREN_ID_PATTERN.test(id);
}

export function sirenTopic(root: string, sirenId: string, channel: SirenChannel | 'cmd'): string {
  return `${root}/sirens/${sirenId}/${channel}`;
}

export function serverAvailabilityTopic(root: string): string {
  return `${root}/server/availability`;
}

export function capTopic(root: string): string {
  return `${root}/alerts/cap`;
}

/** What the centre subscribes to: every siren channel but `cmd` (which the centre itself publishes). */
export function centreSubscriptions(root: string): string[] {
  return SIREN_CHANNELS.map((c) => `${root}/sirens/+/${c}`);
}

export interface ParsedSirenTopic {
  /** The id as it stands in the topic; may be invalid (then `validId` is false). */
  sirenId: string;
  validId: boolean;
  channel: SirenChannel;
}

/** Parses `<root>/sirens/<id>/<channel>`; null for any other topic. */
export function parseSirenTopic(root: string, topic: string): ParsedSirenTopic | null {
  const prefix = `${root}/sirens/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return null;
  const sirenId = rest.slice(0, slash);
  const channel = rest.slice(slash + 1) as SirenChannel;
  if (!(SIREN_CHANNELS as readonly string[]).includes(channel)) return null;
  return { sirenId, validId: isSirenId(sirenId), channel };
}
