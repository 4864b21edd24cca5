import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { summarize } from '../drills/drill-report.js';
import { DrillService } from '../drills/drill.service.js';
import { FAULT_TYPES, type FaultType } from '../faults/fault-types.js';
import { FaultService } from '../faults/fault.service.js';
import { IncidentService } from '../faults/incident.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import type { AvailabilityRow } from './availability.js';
import { AvailabilityService, type DistrictAvailabilityRow, type SirenAvailabilityRow } from './availability.service.js';
import { monthRange } from './month.js';

const WORST = 10;

export interface MonthlyData {
  month: string;
  timeZone: string;
  from: number;
  /** The period's end as judged: the month's end, or the time of generation for the month in progress. */
  to: number;
  generatedAt: number;
  fleet: AvailabilityRow & { sirens: number };
  districts: DistrictAvailabilityRow[];
  sirens: SirenAvailabilityRow[];
  /** The sirens with the lowest availability (below 1), worst first. */
  worst: SirenAvailabilityRow[];
  faultsByType: { type: FaultType; severity: string; count: number }[];
  faultsByDistrict: { districtCode: string; districtName: string; total: number; byType: Partial<Record<FaultType, number>> }[];
  incidents: { id: string; kind: string; districtName: string | null; openedAt: number; closedAt: number | null; sirenCount: number }[];
  drills: { id: string; name: string; mode: string; state: string; startedAt: number; pass: number; fail: number; excused: number; passRate: number | null }[];
}

/** Gathers a month's figures from the services that own them (availability, faults, incidents, drills). */
@Injectable()
export class MonthlyReportBuilder {
  constructor(
    @Inject(AvailabilityService) private readonly availability: AvailabilityService,
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(IncidentService) private readonly incidents: IncidentService,
    @Inject(DrillService) private readonly drills: DrillService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(month: string): Promise<MonthlyData> {
    const timeZone = this.config.REPORT_TIME_ZONE;
    const generatedAt = this.clock.now();
    const { from, to: monthEnd } = monthRange(month, timeZone);
    const to = Math.max(from, Math.min(monthEnd, generatedAt));
    const sirens = await this.availability.bySiren(from, to);
    const worst = sirens
      .filter((s) => s.availability !== null && s.availability < 1)
      .sort((a, b) => a.availability! - b.availability! || (a.sirenId < b.sirenId ? -1 : 1))
      .slice(0, WORST);
    return {
      month,
      timeZone,
      from,
      to,
      generatedAt,
      fleet: await this.availability.fleet(from, to),
      districts: await this.availability.byDistrict(from, to),
      sirens,
      worst,
      ...(await this.faultFigures(from, to)),
      incidents: (await this.incidents.list('all'))
        .filter((i) => i.openedAt >= from && i.openedAt < to)
        .map((i) => ({ id: i.id, kind: i.kind, districtName: i.districtName, openedAt: i.openedAt, closedAt: i.closedAt, sirenCount: i.sirenCount }))
        .sort((a, b) => a.openedAt - b.openedAt),
      drills: await this.drillFigures(from, to),
    };
  }

  /** Faults raised in the period, by type and by the siren's district. */
  private async faultFigures(from: number, to: number) {
    const raised = (await this.faults.overlapping(from, to)).filter((f) => f.raisedAt >= from);
    const byType = new Map<FaultType, number>();
    const byDistrict = new Map<string, MonthlyData['faultsByDistrict'][number]>();
    for (const f of raised) {
      byType.set(f.type, (byType.get(f.type) ?? 0) + 1);
      const siren = this.registry.get(f.sirenId);
      if (!siren) continue;
      let d = byDistrict.get(siren.districtCode);
      if (!d) byDistrict.set(siren.districtCode, (d = { districtCode: siren.districtCode, districtName: siren.districtName, total: 0, byType: {} }));
      d.total++;
      d.byType[f.type] = (d.byType[f.type] ?? 0) + 1;
    }
    const types = (Object.keys(FAULT_TYPES) as FaultType[]).filter((t) => byType.has(t));
    return {
      faultsByType: types.map((type) => ({ type, severity: FAULT_TYPES[type].severity, count: byType.get(type)! })),
      faultsByDistrict: [...byDistrict.values()].sort((a, b) => (a.districtCode < b.districtCode ? -1 : 1)),
    };
  }

  /** Drills (not alert activations) started in the period, with their pass rates. */
  private async drillFigures(from: number, to: number): Promise<MonthlyData['drills']> {
    const started = (await this.drills.list()).filter((d) => d.alertId === null && d.startedAt !== null && d.startedAt >= from && d.startedAt < to);
    const out: MonthlyData['drills'] = [];
    for (const d of started.sort((a, b) => a.startedAt! - b.startedAt!)) {
      const s = summarize(await this.drills.resultsOf(d.id));
      out.push({ id: d.id, name: d.name, mode: d.mode, state: d.state, startedAt: d.startedAt!, pass: s.pass, fail: s.fail, excused: s.excused, passRate: s.pass + s.fail ? s.pass / (s.pass + s.fail) : null });
    }
    return out;
  }
}
