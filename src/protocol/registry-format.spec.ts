import { describe, expect, it } from '@jest/globals';
import { parseRegistryCsv, parseRegistryGeoJson, registryToCsv, validateRegistryRow } from './registry-format.js';
import type { RegistryRow } from './registry-format.js';

const HEADER = 'id,name,districtCode,districtName,lat,lon';
const A: RegistryRow = { id: 'NC-01-001', name: '东湖区 警报器 001', districtCode: '360102', districtName: '东湖区', lat: 28.68, lon: 115.9 };
const aLine = 'NC-01-001,东湖区 警报器 001,360102,东湖区,28.68,115.9';

const reasonsOf = (csvBody: string, header = HEADER) => parseRegistryCsv(`${header}\n${csvBody}\n`).rejected.map((r) => r.reason);

describe('parseRegistryCsv: accepted input', () => {
  it('reads a plain LF file, numbering lines with the header as line 1', () => {
    const r = parseRegistryCsv(`${HEADER}\n${aLine}\nB_2,b,360103,西湖区,-90,180\n`);
    expect(r.rejected).toEqual([]);
    expect(r.rows).toEqual([
      { line: 2, row: A },
      { line: 3, row: { id: 'B_2', name: 'b', districtCode: '360103', districtName: '西湖区', lat: -90, lon: 180 } },
    ]);
  });

  it('takes CRLF, a UTF-8 BOM, no final newline and ignores the trailing empty line', () => {
    expect(parseRegistryCsv(`\uFEFF${HEADER}\r\n${aLine}`).rows).toEqual([{ line: 2, row: A }]);
    expect(parseRegistryCsv(`\uFEFF${HEADER}\r\n${aLine}\r\n`)).toEqual({ rows: [{ line: 2, row: A }], rejected: [] });
  });

  it('takes the columns in any order, optional columns, unknown columns and empty optional values', () => {
    const header = 'lon,lat,commsPath,notes,districtName,districtCode,name,id,soundThresholdDb,model';
    const r = parseRegistryCsv(`${header}\n115.9,28.68,radio,x,东湖区,360102,n1,S1,95.5,HDS-600\n115.9,28.68,,,东湖区,360102,n2,S2,,\n`);
    expect(r.rejected).toEqual([]);
    expect(r.rows[0].row).toEqual({
      id: 'S1', name: 'n1', districtCode: '360102', districtName: '东湖区', lat: 28.68, lon: 115.9,
      model: 'HDS-600', soundThresholdDb: 95.5, commsPath: 'radio',
    });
    expect(r.rows[1].row).toEqual({ id: 'S2', name: 'n2', districtCode: '360102', districtName: '东湖区', lat: 28.68, lon: 115.9 });
  });

  it('matches header names case-insensitively and trims values', () => {
    const r = parseRegistryCsv(`ID, Name ,DISTRICTCODE,districtname,Lat,LON\n NC-01-001 , 东湖区 警报器 001 ,360102,东湖区, 28.68 ,115.9\n`);
    expect(r.rows).toEqual([{ line: 2, row: A }]);
  });

  it('handles quoted fields: commas, doubled quotes, line breaks (numbered by their first line)', () => {
    const text = `${HEADER}\r\n"S1","a, ""b""",360102,东湖区,1,2\r\nS2,"two\r\nlines\nhere",360102,东湖区,1,2\r\nS3,c,360102,东湖区,1,2\r\n`;
    const r = parseRegistryCsv(text);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => [x.line, x.row.id, x.row.name])).toEqual([
      [2, 'S1', 'a, "b"'],
      [3, 'S2', 'two\r\nlines\nhere'],
      [6, 'S3', 'c'],
    ]);
  });

  it('skips blank lines but keeps counting them', () => {
    const r = parseRegistryCsv(`${HEADER}\n\n${aLine}\n\n\n`);
    expect(r).toEqual({ rows: [{ line: 3, row: A }], rejected: [] });
  });

  it('accepts decimal numbers in every notation and the range limits', () => {
    const r = parseRegistryCsv(`${HEADER},soundThresholdDb\nS1,n,c,d,+1.5e1,-.5,40\nS2,n,c,d,90,-180,140\n`);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => [x.row.lat, x.row.lon, x.row.soundThresholdDb])).toEqual([[15, -0.5, 40], [90, -180, 140]]);
  });
});

describe('parseRegistryCsv: refusals', () => {
  it('refuses the whole file when a required column is missing', () => {
    const r = parseRegistryCsv(`id,name,districtCode,districtName,lon\n${aLine}\n`);
    expect(r).toEqual({ rows: [], rejected: [{ line: 1, reason: 'header: missing column lat' }] });
    expect(parseRegistryCsv('id,name\nS1,x\n').rejected).toEqual([
      { line: 1, reason: 'header: missing columns districtCode, districtName, lat, lon' },
    ]);
    expect(parseRegistryCsv('').rejected[0].line).toBe(1);
    expect(parseRegistryCsv(`${HEADER},LAT\n`).rejected).toEqual([{ line: 1, reason: 'header: duplicate column lat' }]);
    expect(parseRegistryCsv('"id,name\n').rejected).toEqual([{ line: 1, reason: 'header: quoted field is not closed' }]);
  });

  it('gives each refused line one entry, with its first reason naming the field', () => {
    const long = 'x'.repeat(201);
    expect(reasonsOf('bad id!,n,c,d,1,2')).toEqual(['id: must be 1–64 characters of A–Z a–z 0–9 _ -']);
    expect(reasonsOf(`${'x'.repeat(65)},n,c,d,1,2`)).toEqual(['id: must be 1–64 characters of A–Z a–z 0–9 _ -']);
    expect(reasonsOf(',n,c,d,1,2')).toEqual(['id: must be 1–64 characters of A–Z a–z 0–9 _ -']);
    expect(reasonsOf('S1, ,c,d,1,2')).toEqual(['name: must be 1–200 characters']);
    expect(reasonsOf(`S1,${long},c,d,1,2`)).toEqual(['name: must be 1–200 characters']);
    expect(reasonsOf(`S1,n,${'9'.repeat(33)},d,1,2`)).toEqual(['districtCode: must be 1–32 characters']);
    expect(reasonsOf('S1,n,,d,1,2')).toEqual(['districtCode: must be 1–32 characters']);
    expect(reasonsOf(`S1,n,c,${long},1,2`)).toEqual(['districtName: must be 1–200 characters']);
    expect(reasonsOf('S1,n,c,d,91,2')).toEqual(['lat: must be a number between -90 and 90']);
    expect(reasonsOf('S1,n,c,d,,2')).toEqual(['lat: must be a number between -90 and 90']);
    expect(reasonsOf('S1,n,c,d,"28,6",2', HEADER)).toEqual(['lat: must be a number between -90 and 90']);
    for (const bad of ['abc', '0x10', 'Infinity', 'NaN', '1.2.3']) {
      expect(reasonsOf(`S1,n,c,d,1,${bad}`)).toEqual(['lon: must be a number between -180 and 180']);
    }
    expect(reasonsOf('S1,n,c,d,1,-180.5')).toEqual(['lon: must be a number between -180 and 180']);
    expect(reasonsOf(`S1,n,c,d,1,2,${'m'.repeat(65)},,`, `${HEADER},model,soundThresholdDb,commsPath`)).toEqual([
      'model: must be at most 64 characters',
    ]);
    expect(reasonsOf('S1,n,c,d,1,2,39.9', `${HEADER},soundThresholdDb`)).toEqual(['soundThresholdDb: must be a number between 40 and 140']);
    expect(reasonsOf('S1,n,c,d,1,2,loud', `${HEADER},soundThresholdDb`)).toEqual(['soundThresholdDb: must be a number between 40 and 140']);
    expect(reasonsOf('S1,n,c,d,1,2,5g', `${HEADER},commsPath`)).toEqual(['commsPath: must be one of 4g, radio, fiber, satellite']);
  });

  it('names only the first reason when a line has several', () => {
    expect(reasonsOf('bad id,,c,d,999,999')).toEqual(['id: must be 1–64 characters of A–Z a–z 0–9 _ -']);
    expect(reasonsOf('S1,n,c,d,999,999')).toEqual(['lat: must be a number between -90 and 90']);
  });

  it('refuses a line with the wrong number of fields', () => {
    expect(reasonsOf('S1,n,c,d,1')).toEqual(['wrong number of fields: 5, expected 6']);
    expect(reasonsOf('S1,n,c,d,1,2,')).toEqual(['wrong number of fields: 7, expected 6']);
    expect(reasonsOf('S1,"a,b",c,d,1,2,3', `${HEADER},model`)).toEqual([]);
  });

  it('refuses a later duplicate id, pointing at the line that holds it', () => {
    const r = parseRegistryCsv(`${HEADER}\nS0,n,c,d,1,2\nS1,n,c,d,1,2\nS1,m,c,d,3,4\nS2,n,c,d,1,2\nS1,o,c,d,5,6\n`);
    expect(r.rows.map((x) => x.row.id)).toEqual(['S0', 'S1', 'S2']);
    expect(r.rejected).toEqual([
      { line: 4, reason: 'id: duplicate of line 3' },
      { line: 6, reason: 'id: duplicate of line 3' },
    ]);
  });

  it('treats ids case-sensitively (they are MQTT topic levels)', () => {
    expect(parseRegistryCsv(`${HEADER}\nab,n,c,d,1,2\nAB,n,c,d,1,2\n`).rows).toHaveLength(2);
  });

  it('refuses malformed quoting on its line and goes on with the next', () => {
    const r = parseRegistryCsv(`${HEADER}\nS1,"n"x,c,d,1,2\nS2,n,c,d,1,2\nS3,"open,c,d,1,2\nS4,n,c,d,1,2\n`);
    expect(r.rows.map((x) => [x.line, x.row.id])).toEqual([[3, 'S2']]);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'name: text after a closing quote' },
      { line: 4, reason: 'name: quoted field is not closed' },
    ]);
  });

  it('keeps good lines and lists refused ones in line order', () => {
    const r = parseRegistryCsv(`${HEADER}\n${aLine}\nbad!,n,c,d,1,2\nS2,n,c,d,1,200\nS3,n,c,d,1,2\n`);
    expect(r.rows.map((x) => x.line)).toEqual([2, 5]);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4]);
  });
});

describe('validateRegistryRow', () => {
  it('takes numbers as well as strings and leaves unset optionals out', () => {
    const v = validateRegistryRow({ id: 'S1', name: 'n', districtCode: 360102, districtName: 'd', lat: 0, lon: 0, model: null, extra: 1 });
    expect(v).toEqual({ ok: true, row: { id: 'S1', name: 'n', districtCode: '360102', districtName: 'd', lat: 0, lon: 0 } });
  });

  it('refuses values of the wrong type', () => {
    expect(validateRegistryRow({ id: 'S1', name: ['n'], districtCode: 'c', districtName: 'd', lat: 1, lon: 2 })).toEqual({
      ok: false,
      reason: 'name: must be 1–200 characters',
    });
    expect(validateRegistryRow({ id: 'S1', name: 'n', districtCode: 'c', districtName: 'd', lat: true, lon: 2 })).toEqual({
      ok: false,
      reason: 'lat: must be a number between -90 and 90',
    });
    expect(validateRegistryRow({ id: 'S1', name: 'n', districtCode: 'c', districtName: 'd', lat: 1, lon: 2, commsPath: 4 })).toMatchObject({
      ok: false,
    });
    expect(validateRegistryRow({})).toEqual({ ok: false, reason: 'id: must be 1–64 characters of A–Z a–z 0–9 _ -' });
  });
});

const point = (props: Record<string, unknown> | null, coordinates: unknown[] = [115.9, 28.68], id?: unknown) => ({
  type: 'Feature',
  ...(id === undefined ? {} : { id }),
  geometry: { type: 'Point', coordinates },
  properties: props,
});
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const props = { name: '东湖区 警报器 001', districtCode: '360102', districtName: '东湖区' };

describe('parseRegistryGeoJson', () => {
  it('reads Points, with the id from properties or from the feature, and [lon, lat] coordinates', () => {
    const r = parseRegistryGeoJson(
      collection(
        point({ id: 'NC-01-001', ...props }),
        point({ ...props, districtCode: 360102, commsPath: 'fiber', soundThresholdDb: 92, lat: 1, lon: 2 }, [116, 28.7, 30], 'S2'),
        point({ id: 'S3', ...props }, [115.9, 28.68], 'S3'),
      ),
    );
    expect(r.rejected).toEqual([]);
    expect(r.rows).toEqual([
      { line: 1, row: A },
      { line: 2, row: { ...A, id: 'S2', lat: 28.7, lon: 116, commsPath: 'fiber', soundThresholdDb: 92 } },
      { line: 3, row: { ...A, id: 'S3' } },
    ]);
  });

  it('refuses a text that is not a FeatureCollection as line 1', () => {
    expect(parseRegistryGeoJson('{not json').rejected).toEqual([{ line: 1, reason: expect.stringMatching(/^geojson: not valid JSON/) }]);
    expect(parseRegistryGeoJson(JSON.stringify(point(props))).rejected).toEqual([
      { line: 1, reason: 'geojson: must be a FeatureCollection with a features array' },
    ]);
    expect(parseRegistryGeoJson('{"type":"FeatureCollection"}').rows).toEqual([]);
    expect(parseRegistryGeoJson('\uFEFF' + collection()).rejected).toEqual([]);
  });

  it('refuses each bad feature by its index + 1, with its first reason', () => {
    const r = parseRegistryGeoJson(
      collection(
        point({ id: 'S1', ...props }),
        'text',
        { ...point({ id: 'S2', ...props }), geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] } },
        point({ id: 'S3', ...props }, [200, 28]),
        point({ id: 'S4', ...props }, [115, '28']),
        point({ id: 'S1', ...props }),
        point({ id: 'S5', ...props }, undefined, 'S6'),
        point(null, undefined, 'S7'),
        { ...point({ ...props }), properties: [1] },
        point({ ...props }),
      ),
    );
    expect(r.rows.map((x) => [x.line, x.row.id])).toEqual([[1, 'S1']]);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'feature: must be a GeoJSON Feature' },
      { line: 3, reason: 'geometry: must be a Point with coordinates [lon, lat]' },
      { line: 4, reason: 'lon: must be a number between -180 and 180' },
      { line: 5, reason: 'lat: must be a number between -90 and 90' },
      { line: 6, reason: 'id: duplicate of line 1' },
      { line: 7, reason: 'id: feature id and properties.id differ' },
      { line: 8, reason: 'name: must be 1–200 characters' },
      { line: 9, reason: 'properties: must be an object' },
      { line: 10, reason: 'id: must be 1–64 characters of A–Z a–z 0–9 _ -' },
    ]);
  });
});

describe('registryToCsv', () => {
  it('writes RFC 4180 CSV that parses back to the same rows', () => {
    const rows: RegistryRow[] = [
      A,
      { id: 'S2', name: 'a, "quoted"\nname', districtCode: '1', districtName: 'x', lat: -0.000001, lon: 179.5, model: 'MMS-300', soundThresholdDb: 90, commsPath: 'satellite' },
    ];
    const csv = registryToCsv(rows);
    expect(csv.split('\r\n')[0]).toBe('id,name,districtCode,districtName,lat,lon,model,soundThresholdDb,commsPath');
    expect(csv).toContain('"a, ""quoted""\nname"');
    expect(csv.endsWith('\r\n')).toBe(true);
    const back = parseRegistryCsv(csv);
    expect(back.rejected).toEqual([]);
    expect(back.rows.map((x) => x.row)).toEqual(rows);
    expect(registryToCsv([])).toBe('id,name,districtCode,districtName,lat,lon,model,soundThresholdDb,commsPath\r\n');
  });
});
