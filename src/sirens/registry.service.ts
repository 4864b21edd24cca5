import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { IsNull, LessThan, MoreThan, type DataSource, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { SecretBox } from '../common/secret-box.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { ownCopy } from '../common/own-copy.js';
import { bulkInsert } from '../database/bulk.js';
import type { RegistryRejection, RegistryRow } from '../protocol/registry-format.js';
import { MaintenancePeriodEntity, SirenEntity } from './siren.entity.js';

export interface ImportResult {
  created: number;
  updated: number;
  rejected: RegistryRejection[];
}

/** The siren registry: kept whole in memory (read on every message), written through to the database. */
@Injectable()
export class RegistryService implements OnModuleInit {
  private readonly sirens = new Map<string, SirenEntity>();
  /** Ids of sirens provisioned with a signing secret. */
  private readonly withSecret = new Set<string>();
  /** District codes and names, one string each however many sirens share them. */
  private readonly districtTexts = new Map<string, string>();
  /** A siren was added, changed or put in/out of maintenance. */
  readonly changed$ = new Subject<SirenEntity>();

  constructor(
    @InjectRepository(SirenEntity) private readonly repo: Repository<SirenEntity>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const s of await this.repo.find()) this.sirens.set(s.id, this.kept(s));
    const signed = await this.repo.createQueryBuilder('s').select('s.id', 'id').where('s.secret is not null').getRawMany<{ id: string }>();
    for (const { id } of signed) this.withSecret.add(id);
  }

  get(id: string): SirenEntity | undefined {
    return this.sirens.get(id);
  }

  require(id: string): SirenEntity {
    const s = this.sirens.get(id);
    if (!s) throw notFound(`siren ${id}`);
    return s;
  }

  /** The siren's command-signing secret, if it has one (sealed at rest, kept out of the in-memory registry). */
  async secretOf(id: string): Promise<string | null> {
    if (!this.withSecret.has(id)) return null;
    const row = await this.repo.findOne({ where: { id }, select: { id: true, secret: true } });
    if (!row?.secret) return null;
    try {
      return this.box.open(row.secret, id);
    } catch {
      // Never fall back to sending unsigned: the siren would refuse it anyway, and silently.
      throw new DomainError('UNAVAILABLE', `siren ${id}: its signing secret does not open with this SECRET_KEY`);
    }
  }

  all(): IterableIterator<SirenEntity> {
    return this.sirens.values();
  }

  get size(): number {
    return this.sirens.size;
  }

  async create(row: RegistryRow): Promise<SirenEntity> {
    if (this.sirens.has(row.id)) throw new DomainError('CONFLICT', `siren ${row.id} already exists`);
    const [saved] = await this.upsertAll([row]);
    return saved.entity;
  }

  /** Good rows are written in one transaction; refused lines are reported, never half-written. */
  async import(rows: { line: number; row: RegistryRow }[], rejected: RegistryRejection[]): Promise<ImportResult> {
    const saved = await this.upsertAll(rows.map((r) => r.row));
    const created = saved.filter((s) => s.created).length;
    return { created, updated: saved.length - created, rejected };
  }

  /** Provisions (or, with null, removes) the siren's command-signing secret. */
  async setSecret(id: string, secret: string | null): Promise<void> {
    this.require(id);
    await this.repo.update({ id }, { secret: secret === null ? null : this.box.seal(secret, id), updatedAt: this.clock.now() });
    if (secret) this.withSecret.add(id);
    else this.withSecret.delete(id);
  }

  /** Replaces the siren's secret with a generated one and returns it (the only time it is readable). */
  async rotateSecret(id: string): Promise<string> {
    const secret = this.box.generate();
    await this.setSecret(id, secret);
    return secret;
  }

  /** Overrides what the siren announces (null: back to its birth's announcement). */
  async setCapabilities(id: string, capabilities: string[] | null): Promise<SirenEntity> {
    const s = this.require(id);
    const next = { ...s, capabilities, updatedAt: this.clock.now() };
    await this.repo.update({ id }, { capabilities, updatedAt: next.updatedAt });
    return this.remember(Object.assign(new SirenEntity(), next));
  }

  async setMaintenance(id: string, on: boolean, note: string | null): Promise<SirenEntity> {
    const s = this.require(id);
    const next = { ...s, maintenance: on, maintenanceNote: on ? note : null, updatedAt: this.clock.now() };
    await this.db.transaction(async (tx) => {
      await tx.getRepository(SirenEntity).update({ id }, { maintenance: next.maintenance, maintenanceNote: next.maintenanceNote, updatedAt: next.updatedAt });
      // The period log changes only on a real switch, so that availability can leave maintenance time out.
      const periods = tx.getRepository(MaintenancePeriodEntity);
      if (on && !s.maintenance) await periods.insert({ sirenId: id, startedAt: next.updatedAt, endedAt: null });
      if (!on && s.maintenance) await periods.update({ sirenId: id, endedAt: IsNull() }, { endedAt: next.updatedAt });
    });
    return this.remember(Object.assign(new SirenEntity(), next));
  }

  /** Maintenance periods overlapping [from, to), oldest first; an open one has `endedAt` null. */
  maintenancePeriods(from: number, to: number): Promise<MaintenancePeriodEntity[]> {
    return this.db.getRepository(MaintenancePeriodEntity).find({
      where: [
        { startedAt: LessThan(to), endedAt: IsNull() },
        { startedAt: LessThan(to), endedAt: MoreThan(from) },
      ],
      order: { startedAt: 'ASC' },
    });
  }

  private async upsertAll(rows: RegistryRow[]): Promise<{ entity: SirenEntity; created: boolean }[]> {
    const now = this.clock.now();
    const out = rows.map((row) => {
      const existing = this.sirens.get(row.id);
      const entity = Object.assign(new SirenEntity(), {
        ...row,
        model: row.model ?? null,
        soundThresholdDb: row.soundThresholdDb ?? null,
        commsPath: row.commsPath ?? null,
        capabilities: existing?.capabilities ?? null,
        maintenance: existing?.maintenance ?? false,
        maintenanceNote: existing?.maintenanceNote ?? null,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      return { entity, created: !existing };
    });
    // One upsert (not TypeORM's save, which reads every chunk back first): 100 000 rows in seconds, not minutes.
    await this.db.transaction((tx) => bulkInsert(tx, SIREN_ROWS, out.map((o) => sirenRow(o.entity))));
    out.forEach((o) => this.remember(o.entity));
    return out;
  }

  private remember(entity: SirenEntity): SirenEntity {
    const s = this.kept(entity);
    this.sirens.set(s.id, s);
    this.changed$.next(s);
    return s;
  }

  /**
   * What the registry keeps of a siren for the service's life (100 000 of them, bench:scale): one object
   * literal with every field inside the object (an entity filled in after `new`, as TypeORM and
   * Object.assign do, keeps most fields in a second array), district texts shared, and its own texts
   * copied out of the import (a substring of a CSV keeps the whole file alive). Never the secret (secretOf).
   */
  private kept(s: SirenEntity): SirenEntity {
    return {
      id: ownCopy(s.id),
      name: ownCopy(s.name),
      districtCode: this.districtText(s.districtCode),
      districtName: this.districtText(s.districtName),
      lat: s.lat,
      lon: s.lon,
      model: s.model === null ? null : ownCopy(s.model),
      soundThresholdDb: s.soundThresholdDb,
      commsPath: s.commsPath === null ? null : ownCopy(s.commsPath),
      capabilities: s.capabilities,
      maintenance: s.maintenance,
      maintenanceNote: s.maintenanceNote,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    } satisfies Omit<SirenEntity, 'secret'> as SirenEntity;
  }

  private districtText(text: string): string {
    let kept = this.districtTexts.get(text);
    if (kept === undefined) this.districtTexts.set(text, (kept = ownCopy(text)));
    return kept;
  }
}

/** Every column an import sets; the secret is not one of them, and created_at stays the first import's. */
const SIREN_COLUMNS = ['id', 'name', 'district_code', 'district_name', 'lat', 'lon', 'model', 'sound_threshold_db', 'comms_path', 'capabilities', 'maintenance', 'maintenance_note', 'created_at', 'updated_at'];
const SIREN_ROWS = {
  table: 'sirens',
  columns: SIREN_COLUMNS,
  pgTypes: ['text', 'text', 'text', 'text', 'float8', 'float8', 'text', 'float8', 'text', 'text', 'bool', 'text', 'bigint', 'bigint'],
  onConflict: `on conflict (id) do update set ${SIREN_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at').map((c) => `${c} = excluded.${c}`).join(', ')}`,
} as const;

const sirenRow = (s: SirenEntity): unknown[] => [
  s.id, s.name, s.districtCode, s.districtName, s.lat, s.lon, s.model, s.soundThresholdDb, s.commsPath,
  s.capabilities === null ? null : JSON.stringify(s.capabilities), s.maintenance, s.maintenanceNote, s.createdAt, s.updatedAt,
];
