import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { iso } from '../common/time.js';
import { FAULT_TYPES } from '../faults/fault-types.js';
import { FaultService } from '../faults/fault.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import { availabilityRow, sirenAvailability, type AvailabilityRow, type SirenAvailability } from './availability.js';
import type { Interval } from './intervals.js';

export interface SirenAvailabilityRow extends AvailabilityRow {
  sirenId: string;
  sirenName: string;
  districtCode: string;
  districtName: string;
}

export interface DistrictAvailabilityRow extends AvailabilityRow {
  districtCode: string;
  districtName: string;
  sirens: number;
}

interface Judged {
  siren: { id: string; name: string; districtCode: string; districtName: string };
  figures: SirenAvailability;
}

const timeline = () => ({ offline: [] as Interval[], impaired: [] as Interval[], maintenance: [] as Interval[] });

/**
 * Availability of the registered sirens over a period, from the faults module's records (OFFLINE and
 * impairing faults) and the registry's maintenance periods. A siren's period starts no earlier than its
 * registration and ends no later than now.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async bySiren(from: number, to: number): Promise<SirenAvailabilityRow[]> {
    return (await this.judge(from, to)).map(({ siren, figures }) => ({
      sirenId: siren.id,
      sirenName: siren.name,
      districtCode: siren.districtCode,
      districtName: siren.districtName,
      ...availabilityRow([figures]),
    }));
  }

  async byDistrict(from: number, to: number): Promise<DistrictAvailabilityRow[]> {
    const groups = new Map<string, Judged[]>();
    for (const j of await this.judge(from, to)) {
      const g = groups.get(j.siren.districtCode);
      if (g) g.push(j);
      else groups.set(j.siren.districtCode, [j]);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([districtCode, js]) => ({ districtCode, districtName: js[0].siren.districtName, sirens: js.length, ...availabilityRow(js.map((j) => j.figures)) }));
  }

  /** The whole fleet as one group (the report's headline figure). */
  async fleet(from: number, to: number): Promise<AvailabilityRow & { sirens: number }> {
    const judged = await this.judge(from, to);
    return { sirens: judged.length, ...availabilityRow(judged.map((j) => j.figures)) };
  }

  /** The fleet's (or one district's) availability in `points` equal steps of the period, for trend charts. */
  async trend(from: number, to: number, points: number, districtCode?: string) {
    const { end, lines } = await this.timelines(from, to);
    const mine = lines.filter((l) => !districtCode || l.siren.districtCode === districtCode);
    const step = (to - from) / points;
    return Array.from({ length: points }, (_, i) => {
      const a = from + Math.round(i * step);
      const b = i === points - 1 ? to : from + Math.round((i + 1) * step);
      const figures = mine.map((l) => sirenAvailability(Math.max(a, l.start), Math.min(b, end), l.line));
      return { from: iso(a), to: iso(b), availability: availabilityRow(figures).availability };
    });
  }

  private async judge(from: number, to: number): Promise<Judged[]> {
    const { end, lines } = await this.timelines(from, to);
    return lines.map(({ siren, start, line }) => ({ siren, figures: sirenAvailability(start, end, line) }));
  }

  /** Every registered siren's offline, impaired and maintenance intervals touching the period. */
  private async timelines(from: number, to: number) {
    const end = Math.min(to, this.clock.now());
    const lines = new Map<string, ReturnType<typeof timeline>>();
    const of = (id: string) => lines.get(id) ?? lines.set(id, timeline()).get(id)!;
    for (const f of await this.faults.overlapping(from, end)) {
      const span: Interval = [f.raisedAt, f.clearedAt ?? Infinity];
      if (f.type === 'OFFLINE') of(f.sirenId).offline.push(span);
      else if (FAULT_TYPES[f.type].impairs) of(f.sirenId).impaired.push(span);
    }
    for (const m of await this.registry.maintenancePeriods(from, end)) of(m.sirenId).maintenance.push([m.startedAt, m.endedAt ?? Infinity]);
    const sirens = [...this.registry.all()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { end, lines: sirens.map((siren) => ({ siren, start: Math.max(from, siren.createdAt), line: lines.get(siren.id) ?? timeline() })) };
  }
}
