import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import { isActive } from './fault-types.js';
import type { FaultEntity } from './fault.entity.js';
import { FaultService, type FaultChange } from './fault.service.js';
import { incidentRules, RaiseWindow, type IncidentRule } from './incident-rules.js';
import { IncidentEntity } from './incident.entity.js';

/** A fault newly put in front of the operator: on its own, or as the incident that stands for many. */
export type Annunciation = { kind: 'fault'; fault: FaultEntity } | { kind: 'incident'; incident: IncidentEntity };

/**
 * Groups floods of faults with one likely cause into incidents (a district on battery, many sirens
 * dropping at once): one line for the operator instead of hundreds. Members stay recorded one by one,
 * carry the incident's id and are no longer annunciated on their own.
 */
@Injectable()
export class IncidentService implements OnModuleInit {
  private readonly rules: IncidentRule[];
  private readonly windows = new Map<string, RaiseWindow>();
  private readonly openByGroup = new Map<string, IncidentEntity>();
  private dirty = new Map<string, IncidentEntity>();
  readonly changes$ = new Subject<IncidentEntity>();
  readonly annunciations$ = new Subject<Annunciation>();

  constructor(
    @InjectRepository(IncidentEntity) private readonly repo: Repository<IncidentEntity>,
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rules = incidentRules(config);
  }

  async onModuleInit(): Promise<void> {
    for (const i of await this.repo.find({ where: { closedAt: IsNull() } })) this.openByGroup.set(this.groupKey(i.kind, i.districtCode), i);
    this.writeBehind.register('incidents', () => this.collect());
    this.faults.changes$.subscribe((c) => this.onFault(c));
  }

  open(): IncidentEntity[] {
    return [...this.openByGroup.values()];
  }

  async list(state: 'open' | 'all'): Promise<IncidentEntity[]> {
    const open = this.open();
    if (state === 'open') return open.sort((a, b) => b.openedAt - a.openedAt);
    const openIds = new Set(open.map((i) => i.id));
    const stored = (await this.repo.find({ order: { openedAt: 'DESC' }, take: 1000 })).filter((i) => !openIds.has(i.id));
    return [...open, ...stored].sort((a, b) => b.openedAt - a.openedAt);
  }

  async find(id: string): Promise<IncidentEntity | null> {
    return this.open().find((i) => i.id === id) ?? (await this.repo.findOneBy({ id }));
  }

  markAcknowledged(i: IncidentEntity, by: string): void {
    Object.assign(i, { ackedAt: this.clock.now(), ackedBy: by });
    this.touch(i);
  }

  private onFault({ fault: f, raised }: FaultChange): void {
    if (raised) this.onRaise(f);
    else if (!isActive(f.state) && f.incidentId) this.closeIfDone(f.incidentId);
  }

  private onRaise(f: FaultEntity): void {
    const rule = this.rules.find((r) => r.type === f.type);
    const siren = this.registry.get(f.sirenId);
    if (!rule || !siren) return this.annunciations$.next({ kind: 'fault', fault: f });
    const district = rule.byDistrict ? siren.districtCode : null;
    const key = this.groupKey(rule.kind, district);
    const incident = this.openByGroup.get(key);
    if (incident) return this.join(incident, [f]);
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new RaiseWindow()));
    const ids = window.add(f.id, f.raisedAt, rule.windowMs);
    const groupSize = rule.byDistrict ? [...this.registry.all()].filter((s) => s.districtCode === district).length : this.registry.size;
    if (ids.length < rule.threshold(groupSize)) return this.annunciations$.next({ kind: 'fault', fault: f });
    window.reset();
    const members = this.faults.open().filter((m) => ids.includes(m.id) && isActive(m.state));
    const opened: IncidentEntity = {
      id: this.ids.next(),
      kind: rule.kind,
      districtCode: district,
      districtName: district ? siren.districtName : null,
      openedAt: this.clock.now(),
      closedAt: null,
      faultIds: [],
      sirenCount: 0,
      ackedAt: null,
      ackedBy: null,
      updatedAt: this.clock.now(),
    };
    this.openByGroup.set(key, opened);
    this.join(opened, members);
    this.annunciations$.next({ kind: 'incident', incident: opened });
  }

  private join(incident: IncidentEntity, members: FaultEntity[]): void {
    for (const m of members) {
      m.incidentId = incident.id;
      this.faults.update(m);
    }
    incident.faultIds = [...new Set([...incident.faultIds, ...members.map((m) => m.id)])];
    incident.sirenCount = new Set(this.faults.open().filter((m) => m.incidentId === incident.id).map((m) => m.sirenId)).size;
    this.touch(incident);
  }

  /** An incident closes when all its faults have cleared. */
  private closeIfDone(incidentId: string): void {
    const entry = [...this.openByGroup.entries()].find(([, i]) => i.id === incidentId);
    if (!entry) return;
    const [key, incident] = entry;
    if (this.faults.open().some((m) => m.incidentId === incidentId && isActive(m.state))) return;
    incident.closedAt = this.clock.now();
    this.openByGroup.delete(key);
    this.touch(incident);
  }

  private groupKey(kind: string, district: string | null): string {
    return `${kind}/${district ?? '*'}`;
  }

  private touch(i: IncidentEntity): void {
    i.updatedAt = this.clock.now();
    this.dirty.set(i.id, { ...i, faultIds: [...i.faultIds] });
    this.changes$.next(i);
  }

  private collect() {
    if (!this.dirty.size) return null;
    const rows = [...this.dirty.values()];
    this.dirty = new Map();
    return async (tx: EntityManager) => {
      await tx.getRepository(IncidentEntity).upsert(rows, ['id']);
    };
  }
}
