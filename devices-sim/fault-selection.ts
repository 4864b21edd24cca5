/** Which sirens each fault of a profile hits: fixed ids, or a seeded random choice. */
import type { FaultProfile, FaultSpec } from './fault-profile.js';
import { randomStream, shuffled } from './seed.js';

export interface FleetMember {
  id: string;
  districtCode: string;
}

/** A fault as it applies to one siren; `index` is its position in the profile. */
export interface AssignedFault {
  index: number;
  fault: FaultSpec;
}

export type SelectionResult = { ok: true; bySiren: Map<string, AssignedFault[]> } | { ok: false; errors: string[] };

/**
 * Resolves every fault's selection against the fleet. Each fault draws from its own stream of the
 * seed, so the same seed, fleet and profile always hit the same sirens.
 */
export function selectFaults(fleet: readonly FleetMember[], profile: FaultProfile, seed: number): SelectionResult {
  const position = new Map(fleet.map((s, i) => [s.id, i]));
  const everyone = fleet.map((_, i) => i);
  const bySiren = new Map<string, AssignedFault[]>();
  const errors: string[] = [];

  profile.faults.forEach((fault, index) => {
    const where = `faults[${index}]`;
    // `count` is a selection except for `amplifier`, where it is the number of failed amplifiers.
    const count = fault.kind === 'amplifier' ? undefined : fault.count;
    let chosen: number[];
    if (fault.sirens) {
      chosen = [];
      fault.sirens.forEach((id, j) => {
        const at = position.get(id);
        if (at === undefined) errors.push(`${where}.sirens[${j}]: unknown siren ${JSON.stringify(id)}`);
        else if (!chosen.includes(at)) chosen.push(at);
      });
    } else {
      const pool = fault.district === undefined ? everyone : everyone.filter((i) => fleet[i].districtCode === fault.district);
      if (pool.length === 0) {
        errors.push(`${where}.district: no siren in district ${JSON.stringify(fault.district)}`);
        return;
      }
      const k = fault.fraction !== undefined ? Math.round(fault.fraction * pool.length) : (count ?? pool.length);
      if (k > pool.length) {
        const of = fault.district === undefined ? 'the fleet has' : `district ${fault.district} has`;
        errors.push(`${where}.count: ${k} sirens asked for, ${of} ${pool.length}`);
        return;
      }
      chosen = shuffled(pool, randomStream(seed, 'fault', index), k);
    }
    for (const i of chosen) {
      const list = bySiren.get(fleet[i].id) ?? [];
      list.push({ index, fault });
      bySiren.set(fleet[i].id, list);
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, bySiren };
}
