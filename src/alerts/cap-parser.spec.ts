import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAP_MAX_BYTES, CapError, parseCap } from './cap-parser.js';

const SAMPLES = join(process.cwd(), '..', 'shared', 'cap-samples');
const INVALID: Record<string, RegExp> = {
  'invalid.cap': /alert\.scope: /,
  'canada_errors.cap': /alert\.references: /,
  'noaa_errors.cap': /alert\.references: |urgency/,
  'xee.cap': /DOCTYPE and entity declarations are not allowed/,
};
const cap = (inner: string, ns = 'urn:oasis:names:tc:emergency:cap:1.2') => `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="${ns}">${inner}</alert>`;
const HEAD = '<identifier>SW-1</identifier><sender>cd@nanchang.gov.cn</sender><sent>2026-09-18T10:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>';
const INFO = '<info><language>zh-CN</language><category>Safety</category><event>防空警报</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty><area><areaDesc>东湖区</areaDesc><geocode><valueName>GB/T2260</valueName><value>360102</value></geocode></area></info>';

describe('CAP parsing', () => {
  it('reads the required fields, several info blocks, references and areas', () => {
    const a = parseCap(cap(HEAD + INFO + INFO.replace('zh-CN', 'en-US')));
    expect(a).toMatchObject({ identifier: 'SW-1', status: 'Actual', msgType: 'Alert', version: '1.2', references: [] });
    expect(a.info).toHaveLength(2);
    expect(a.info[0].area[0].geocode).toEqual([{ valueName: 'GB/T2260', value: '360102' }]);
    const update = parseCap(cap(HEAD.replace('Alert</msgType>', 'Update</msgType>') + '<references>cd@nanchang.gov.cn,SW-0,2026-09-18T09:00:00+08:00</references>' + INFO));
    expect(update.references).toEqual([{ sender: 'cd@nanchang.gov.cn', identifier: 'SW-0', sent: '2026-09-18T09:00:00+08:00' }]);
  });

  it.each([
    [HEAD.replace('<identifier>SW-1</identifier>', ''), 'alert.identifier: '],
    [HEAD.replace('2026-09-18T10:00:00+08:00', '18/09/2026 10:00'), 'alert.sent: must be a CAP dateTime'],
    [HEAD.replace('Alert</msgType>', 'Warning</msgType>'), 'alert.msgType: '],
    [HEAD.replace('Alert</msgType>', 'Cancel</msgType>'), 'alert.references: must name at least one'],
  ])('refuses a document with what is wrong named (%#)', (head, reason) => {
    expect(() => parseCap(cap(head + INFO))).toThrow(reason);
  });

  it('refuses entities, DTDs, other namespaces, broken XML and oversize bodies', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><alert>&lol2;</alert>`;
    const started = Date.now();
    expect(() => parseCap(bomb)).toThrow('DOCTYPE and entity declarations are not allowed');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(() => parseCap(cap(HEAD, 'urn:example'))).toThrow('is not CAP 1.2 or 1.1');
    expect(() => parseCap('<alert><identifier>x</alert>')).toThrow('not well-formed XML');
    expect(() => parseCap(Buffer.alloc(CAP_MAX_BYTES + 1, 32))).toThrow('over the limit');
    // Bytes that are not UTF-8 are a CapError (a 400 and quarantine), never a TypeError (a 500).
    expect(() => parseCap(Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x3e]))).toThrow(CapError);
  });

  it('decodes ISO-8859-1 documents by their declaration', () => {
    const latin = Buffer.from(cap(HEAD + INFO.replace('防空警报', 'Séisme')).replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect(parseCap(latin).info[0].event).toBe('Séisme');
  });

  const samples = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.endsWith('.cap')) : [];
  it('has the shared samples under CI', () => {
    if (process.env.CI === 'true') expect(samples.length).toBeGreaterThan(10);
  });
  for (const f of samples) {
    it(`${INVALID[f] ? 'refuses' : 'takes'} the sample ${f}`, () => {
      const body = readFileSync(join(SAMPLES, f));
      if (INVALID[f]) expect(() => parseCap(body)).toThrow(INVALID[f]);
      else expect(parseCap(body).identifier.length).toBeGreaterThan(0);
    });
  }
});
