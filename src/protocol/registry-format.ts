/**
 * The siren registry's import/export format (API.md, Sirens): CSV per RFC 4180 and GeoJSON.
 * Plain TypeScript: the service's import endpoint and the simulator's `--registry` both use it.
 */
import { SIREN_ID_PATTERN } from './topics.js';

export type CommsPath = '4g' | 'radio' | 'fiber' | 'satellite';

export interface RegistryRow {
  id: string;
  name: string;
  districtCode: string;
  districtName: string;
  lat: number;
  lon: number;
  model?: string;
  soundThresholdDb?: number;
  commsPath?: CommsPath;
}

export interface RegistryRejection {
  line: number;
  reason: string;
}

export interface RegistryParseResult {
  rows: { line: number; row: RegistryRow }[];
  rejected: RegistryRejection[];
}

const COMMS_PATHS: readonly CommsPath[] = ['4g', 'radio', 'fiber', 'satellite'];
const REQUIRED_COLUMNS = ['id', 'name', 'districtCode', 'districtName', 'lat', 'lon'] as const;
const OPTIONAL_COLUMNS = ['model', 'soundThresholdDb', 'commsPath'] as const;
const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

// Strict decimal notation: Number() alone would also take '', ' ', '0x1f' and 'Infinity'.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Check<T> = { ok: true; value: T } | { ok: false };

function text(value: unknown, min: number, max: number): Check<string> {
  // GeoJSON properties may carry codes as numbers (districtCode 360102).
  const s = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
  return s !== null && s.length >= min && s.length <= max ? { ok: true, value: s } : { ok: false };
}

function number(value: unknown, min: number, max: number): Check<number> {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
  else return { ok: false };
  return Number.isFinite(n) && n >= min && n <= max ? { ok: true, value: n } : { ok: false };
}

function absent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Checks one row given as field → value (strings from CSV, strings or numbers from JSON); the first fault wins. */
export function validateRegistryRow(input: Record<string, unknown>): { ok: true; row: RegistryRow } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason });
  const id = text(input.id, 1, 64);
  if (!id.ok || !SIREN_ID_PATTERN.test(id.value)) return fail('id: must be 1–64 characters of A–Z a–z 0–9 _ -');
  const name = text(input.name, 1, 200);
  if (!name.ok) return fail('name: must be 1–200 characters');
  const districtCode = text(input.districtCode, 1, 32);
  if (!districtCode.ok) return fail('districtCode: must be 1–32 characters');
  const districtName = text(input.districtName, 1, 200);
  if (!districtName.ok) return fail('districtName: must be 1–200 characters');
  const lat = number(input.lat, -90, 90);
  if (!lat.ok) return fail('lat: must be a number between -90 and 90');
  const lon = number(input.lon, -180, 180);
  if (!lon.ok) return fail('lon: must be a number between -180 and 180');
  const row: RegistryRow = {
    id: id.value,
    name: name.value,
    districtCode: districtCode.value,
    districtName: districtName.value,
    lat: lat.value,
    lon: lon.value,
  };
  if (!absent(input.model)) {
    const model = text(input.model, 1, 64);
    if (!model.ok) return fail('model: must be at most 64 characters');
    row.model = model.value;
  }
  if (!absent(input.soundThresholdDb)) {
    const db = number(input.soundThresholdDb, 40, 140);
    if (!db.ok) return fail('soundThresholdDb: must be a number between 40 and 140');
    row.soundThresholdDb = db.value;
  }
  if (!absent(input.commsPath)) {
    const path = typeof input.commsPath === 'string' ? input.commsPath.trim() : '';
    if (!(COMMS_PATHS as readonly string[]).includes(path)) return fail(`commsPath: must be one of ${COMMS_PATHS.join(', ')}`);
    row.commsPath = path as CommsPath;
  }
  return { ok: true, row };
}

interface CsvRecord {
  line: number;
  fields: string[];
  /** A quoting fault, at the field index where it occurred. */
  error?: { field: number; message: string };
}

/** Splits RFC 4180 text into records, each numbered by the physical line it starts on. */
function csvRecords(input: string): CsvRecord[] {
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const n = s.length;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    records.push(record);
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        let closed = false;
        for (i++; i < n; ) {
          const q = s.indexOf('"', i);
          const chunk = q < 0 ? s.slice(i) : s.slice(i, q);
          line += countLineBreaks(chunk);
          value += chunk;
          if (q < 0) {
            i = n;
            break;
          }
          if (s[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) record.error ??= { field: record.fields.length, message: 'quoted field is not closed' };
        else if (i < n && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
          record.error ??= { field: record.fields.length, message: 'text after a closing quote' };
          while (i < n && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') i++;
        }
      } else {
        const start = i;
        while (i < n && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') i++;
        value = s.slice(start, i);
      }
      record.fields.push(value);
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '\r') i += s[i + 1] === '\n' ? 2 : 1;
      else if (s[i] === '\n') i++;
      line++;
      break;
    }
  }
  return records;
}

function countLineBreaks(chunk: string): number {
  const m = chunk.match(/\r\n|\r|\n/g);
  return m ? m.length : 0;
}

function isBlank(record: CsvRecord): boolean {
  return !record.error && record.fields.length === 1 && record.fields[0].trim() === '';
}

/** Parses a registry CSV: good lines in `rows`, one rejection (the first reason) per refused line. */
export function parseRegistryCsv(text: string): RegistryParseResult {
  const records = csvRecords(text);
  const header = records[0] ?? { line: 1, fields: [''] };
  const refuse = (reason: string): RegistryParseResult => ({ rows: [], rejected: [{ line: 1, reason: `header: ${reason}` }] });
  if (header.error) return refuse(header.error.message);
  const names = header.fields.map((f) => f.trim());
  const columns = new Map<string, number>();
  for (const [index, raw] of names.entries()) {
    // Column names match case-insensitively; unknown columns (notes, …) are carried along unread.
    const known = ALL_COLUMNS.find((c) => c.toLowerCase() === raw.toLowerCase());
    if (!known) continue;
    if (columns.has(known)) return refuse(`duplicate column ${known}`);
    columns.set(known, index);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length) return refuse(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);

  const result: RegistryParseResult = { rows: [], rejected: [] };
  const seen = new Map<string, number>();
  for (const record of records.slice(1)) {
    if (isBlank(record)) continue;
    const reason = csvRecordFault(record, names);
    if (reason) {
      result.rejected.push({ line: record.line, reason });
      continue;
    }
    const input: Record<string, unknown> = {};
    for (const [column, index] of columns) input[column] = record.fields[index];
    accept(result, seen, record.line, validateRegistryRow(input));
  }
  return result;
}

function csvRecordFault(record: CsvRecord, names: string[]): string | null {
  if (record.error) return `${names[record.error.field] || `field ${record.error.field + 1}`}: ${record.error.message}`;
  if (record.fields.length !== names.length) return `wrong number of fields: ${record.fields.length}, expected ${names.length}`;
  return null;
}

function accept(
  result: RegistryParseResult,
  seen: Map<string, number>,
  line: number,
  checked: ReturnType<typeof validateRegistryRow>,
): void {
  if (!checked.ok) {
    result.rejected.push({ line, reason: checked.reason });
    return;
  }
  const first = seen.get(checked.row.id);
  if (first !== undefined) {
    result.rejected.push({ line, reason: `id: duplicate of line ${first}` });
    return;
  }
  seen.set(checked.row.id, line);
  result.rows.push({ line, row: checked.row });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a GeoJSON FeatureCollection of Points; a feature's "line" is its index + 1. */
export function parseRegistryGeoJson(text: string): RegistryParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { rows: [], rejected: [{ line: 1, reason: `geojson: not valid JSON (${(e as Error).message})` }] };
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    return { rows: [], rejected: [{ line: 1, reason: 'geojson: must be a FeatureCollection with a features array' }] };
  }
  const result: RegistryParseResult = { rows: [], rejected: [] };
  const seen = new Map<string, number>();
  for (const [index, feature] of (doc.features as unknown[]).entries()) {
    const line = index + 1;
    const checked = featureToRow(feature);
    accept(result, seen, line, checked);
  }
  return result;
}

function featureToRow(feature: unknown): ReturnType<typeof validateRegistryRow> {
  if (!isObject(feature) || feature.type !== 'Feature') return { ok: false, reason: 'feature: must be a GeoJSON Feature' };
  const geometry = feature.geometry;
  if (!isObject(geometry) || geometry.type !== 'Point' || !Array.isArray(geometry.coordinates) || geometry.coordinates.length < 2) {
    return { ok: false, reason: 'geometry: must be a Point with coordinates [lon, lat]' };
  }
  if (feature.properties !== undefined && feature.properties !== null && !isObject(feature.properties)) {
    return { ok: false, reason: 'properties: must be an object' };
  }
  const props = feature.properties ?? {};
  const fromFeature = feature.id;
  const fromProps = props.id;
  if (!absent(fromFeature) && !absent(fromProps) && String(fromFeature) !== String(fromProps)) {
    return { ok: false, reason: 'id: feature id and properties.id differ' };
  }
  const [lon, lat] = geometry.coordinates as unknown[];
  // Only finite numbers are coordinates; a string "28.6" is not valid GeoJSON.
  const coord = (v: unknown) => (typeof v === 'number' ? v : NaN);
  return validateRegistryRow({ ...props, id: absent(fromProps) ? fromFeature : fromProps, lat: coord(lat), lon: coord(lon) });
}

const CSV_COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as const;

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows as RFC 4180 CSV (CRLF, every column, optional ones empty when unset) that parses back to the same rows. */
export function registryToCsv(rows: RegistryRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
