/**
 * CAP 1.2 (and 1.1, where the fields agree) from XML, refusing anything unsafe or incomplete with the
 * reason. Plain TypeScript. The parser never reads a DTD, never expands an entity and never fetches:
 * a document with a DOCTYPE is refused outright (CAP has none), entities are left as text.
 */
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

export const CAP_MAX_BYTES = 2 * 1024 * 1024;
const CAP_NAMESPACES = ['urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'];
const LISTS = new Set(['info', 'area', 'polygon', 'circle', 'geocode', 'category', 'responseType', 'eventCode', 'parameter', 'resource']);

export class CapError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** CAP dateTime: `2026-09-18T10:00:00+08:00` (a zone is required; `-00:00` means UTC). */
const capTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([.]\d+)?([+-]\d\d:\d\d|Z)$/, 'must be a CAP dateTime such as 2026-09-18T10:00:00+08:00');
const text = z.string().min(1, 'must not be empty');
const nameValue = z.object({ valueName: z.string(), value: z.string() });

const areaSchema = z.object({
  areaDesc: text,
  polygon: z.array(z.string()).default([]),
  circle: z.array(z.string()).default([]),
  geocode: z.array(nameValue).default([]),
});
const infoSchema = z.object({
  language: z.string().default('en-US'),
  category: z.array(z.string()).min(1, 'at least one category is required'),
  event: text,
  urgency: z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']),
  severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
  certainty: z.enum(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown', 'Very Likely']),
  headline: z.string().optional(),
  description: z.string().optional(),
  instruction: z.string().optional(),
  effective: capTime.optional(),
  expires: capTime.optional(),
  senderName: z.string().optional(),
  area: z.array(areaSchema).default([]),
});
const alertSchema = z.object({
  identifier: text.regex(/^[^\s,<&]+$/, 'must not contain spaces, commas, < or &'),
  sender: text.regex(/^[^\s,<&]+$/, 'must not contain spaces, commas, < or &'),
  sent: capTime,
  status: z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']),
  msgType: z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']),
  scope: z.enum(['Public', 'Restricted', 'Private']),
  references: z.string().optional(),
  note: z.string().optional(),
  info: z.array(infoSchema).default([]),
});

export type CapInfo = z.infer<typeof infoSchema>;
export type CapArea = z.infer<typeof areaSchema>;
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}
export type CapAlert = Omit<z.infer<typeof alertSchema>, 'references'> & { references: CapReference[]; version: '1.1' | '1.2' };

/** Reads the encoding the XML declaration names (UTF-8 unless it says ISO-8859-1 / Latin-1). */
export function decodeXml(body: Buffer): string {
  const head = body.subarray(0, 200).toString('latin1');
  const enc = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  const label = ['iso-8859-1', 'latin1', 'latin-1', 'windows-1252'].includes(enc) ? 'latin1' : enc === 'utf-8' || enc === 'utf8' ? 'utf-8' : null;
  if (!label) throw new CapError(`encoding ${enc} is not supported (UTF-8 or ISO-8859-1)`);
  try {
    return new TextDecoder(label, { fatal: label === 'utf-8' }).decode(body);
  } catch {
    throw new CapError('the document is not valid UTF-8 (or name its encoding, ISO-8859-1, in the XML declaration)');
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => LISTS.has(name),
});

export function parseCap(body: Buffer | string): CapAlert {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > CAP_MAX_BYTES) throw new CapError(`document of ${size} bytes is over the limit of ${CAP_MAX_BYTES}`, true);
  const xml = typeof body === 'string' ? body : decodeXml(body);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new CapError('DOCTYPE and entity declarations are not allowed in CAP');
  if (xml.includes('\u0000')) throw new CapError('the document contains U+0000 (NUL), which XML does not allow');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (e) {
    throw new CapError(`not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const root = doc.alert as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw new CapError('the root element must be <alert>');
  // The namespace prefix is stripped by the parser, so read it off the root element's start tag.
  const rootTag = /<([A-Za-z_][\w.-]*:)?alert\b[^>]*>/.exec(xml)?.[0] ?? '';
  const ns = /xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/.exec(rootTag)?.[1] ?? '';
  if (!CAP_NAMESPACES.includes(ns)) throw new CapError(`alert namespace "${ns}" is not CAP 1.2 or 1.1`);
  const parsed = alertSchema.safeParse(root);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CapError(`${['alert', ...i.path].join('.')}: ${i.message}`);
  }
  return { ...parsed.data, references: parseReferences(parsed.data.references, parsed.data.msgType), version: ns.endsWith('1.1') ? '1.1' : '1.2' };
}

function parseReferences(raw: string | undefined, msgType: string): CapReference[] {
  if (raw === undefined && msgType !== 'Update' && msgType !== 'Cancel') return [];
  const triples = (raw ?? '').split(/\s+/).filter(Boolean);
  if (!triples.length) throw new CapError('alert.references: must name at least one sender,identifier,sent' + (msgType === 'Alert' ? ' when present' : ` for ${msgType}`));
  return triples.map((t) => {
    const [sender, identifier, sent, extra] = t.split(',');
    if (!sender || !identifier || !sent || extra !== undefined || !capTime.safeParse(sent).success) throw new CapError(`alert.references: "${t}" is not sender,identifier,sent`);
    return { sender, identifier, sent };
  });
}
