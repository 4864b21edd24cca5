/** The simulated fleet: registry rows (demo city or a CSV) turned into the sirens' static settings. */
import { isSirenId } from '../src/protocol/index.js';
import { DEMO_MODELS } from '../src/protocol/demo-city.js';
import type { CommsPath, RegistryRow } from '../src/protocol/registry-format.js';

/** API.md's default acoustic threshold at the sensor. */
export const DEFAULT_SOUND_THRESHOLD_DB = 90;
const DEFAULT_MODEL = 'HDS-1000';
const FIRMWARE = '2.3.1';

export interface SimSiren {
  id: string;
  districtCode: string;
  lat: number;
  lon: number;
  model: string;
  fw: string;
  capabilities: string[];
  commsPath: CommsPath;
  soundThresholdDb: number;
}

export function toSimSiren(row: RegistryRow): SimSiren {
  const model = row.model ?? DEFAULT_MODEL;
  const multimedia = DEMO_MODELS.some((m) => m.model === model && m.multimedia);
  return {
    id: row.id,
    districtCode: row.districtCode,
    lat: row.lat,
    lon: row.lon,
    model,
    fw: FIRMWARE,
    capabilities: multimedia ? ['tone', 'voice'] : ['tone'],
    commsPath: row.commsPath ?? '4g',
    soundThresholdDb: row.soundThresholdDb ?? DEFAULT_SOUND_THRESHOLD_DB,
  };
}

/** Makes a seeded `share` of the fleet multimedia (and the rest not), whatever their models. */
export function withVoiceShare(fleet: SimSiren[], share: number, random: (id: string) => number): SimSiren[] {
  return fleet.map((s) => ({ ...s, capabilities: random(s.id) < share ? ['tone', 'voice'] : ['tone'] }));
}

/** Problems that make a fleet unusable: no sirens, bad or repeated ids. */
export function fleetErrors(rows: readonly RegistryRow[]): string[] {
  if (rows.length === 0) return ['the fleet has no sirens'];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (!isSirenId(row.id)) errors.push(`siren id ${JSON.stringify(row.id)}: must be 1–64 characters of A–Z a–z 0–9 _ -`);
    else if (seen.has(row.id)) errors.push(`siren id ${row.id}: appears twice`);
    seen.add(row.id);
  }
  return errors;
}
