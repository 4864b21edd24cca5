import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../common/clock.js';
import type { FaultService } from '../faults/fault.service.js';
import type { FaultEntity } from '../faults/fault.entity.js';
import type { RegistryService } from '../sirens/registry.service.js';
import { AvailabilityService } from './availability.service.js';

const H = 3_600_000;
const t0 = Date.parse('2026-09-01T00:00:00Z');
const at = (h: number) => t0 + h * H;

const siren = (id: string, districtCode: string, createdAt = at(-100)) => ({ id, name: `Siren ${id}`, districtCode, districtName: `D${districtCode}`, createdAt });
const fault = (sirenId: string, type: FaultEntity['type'], raisedAt: number, clearedAt: number | null) => ({ id: `${sirenId}-${type}-${raisedAt}`, sirenId, type, raisedAt, clearedAt }) as FaultEntity;

/** The service over recorded faults and maintenance, at a fake "now" (a period may end after it). */
function service(now: number, faults: FaultEntity[], maintenance: { sirenId: string; startedAt: number; endedAt: number | null }[], sirens = [siren('S-1', '01'), siren('S-2', '01'), siren('S-3', '02', at(5))]) {
  const faultService = { overlapping: async () => faults } as unknown as FaultService;
  const registry = { all: () => sirens.values(), maintenancePeriods: async () => maintenance } as unknown as RegistryService;
  return new AvailabilityService(faultService, registry, new FakeClock(now));
}

describe('availability from fault and maintenance records', () => {
  const faults = [
    fault('S-1', 'OFFLINE', at(1), at(3)),
    fault('S-1', 'BATTERY_LOW', at(2), at(4)),
    // Not impairing: counts for nothing.
    fault('S-1', 'MAINS_FAILURE', at(0), null),
    // Still open at "now" (10 h): impaired until now, not beyond.
    fault('S-2', 'SPEAKER_FAULT', at(8), null),
  ];
  const maintenance = [{ sirenId: 'S-2', startedAt: at(0), endedAt: at(2) }];

  it('judges each siren up to now, never past it, and from its registration on', async () => {
    const rows = await service(at(10), faults, maintenance).bySiren(at(0), at(24));
    expect(rows.map((r) => [r.sirenId, r.availability, r.offlineSeconds, r.impairedSeconds, r.mttrSeconds, r.repairs])).toEqual([
      ['S-1', 0.7, 2 * 3600, 3600, 3 * 3600, 1],
      ['S-2', 0.75, 0, 2 * 3600, null, 0],
      ['S-3', 1, 0, 0, null, 0],
    ]);
  });

  it('averages a district’s sirens and sums their time', async () => {
    const rows = await service(at(10), faults, maintenance).byDistrict(at(0), at(24));
    expect(rows).toEqual([
      { districtCode: '01', districtName: 'D01', sirens: 2, availability: 0.725, offlineSeconds: 7200, impairedSeconds: 3 * 3600, mttrSeconds: 3 * 3600, repairs: 1 },
      { districtCode: '02', districtName: 'D02', sirens: 1, availability: 1, offlineSeconds: 0, impairedSeconds: 0, mttrSeconds: null, repairs: 0 },
    ]);
  });

  it('gives the trend in equal steps, none after now', async () => {
    const trend = await service(at(10), faults, maintenance).trend(at(0), at(16), 4, '01');
    expect(trend).toEqual([
      // 0–4 h: S-1 down 3 of 4 h (0.25); S-2 in maintenance half of it, up the rest (1).
      { from: new Date(at(0)).toISOString(), to: new Date(at(4)).toISOString(), availability: 0.625 },
      { from: new Date(at(4)).toISOString(), to: new Date(at(8)).toISOString(), availability: 1 },
      // 8–12 h, cut at now (10 h): S-2 impaired throughout.
      { from: new Date(at(8)).toISOString(), to: new Date(at(12)).toISOString(), availability: 0.5 },
      { from: new Date(at(12)).toISOString(), to: new Date(at(16)).toISOString(), availability: null },
    ]);
  });
});
