import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { notFound } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { iso } from '../common/time.js';
import { AuditService } from './audit.service.js';
import { ApiKeyEntity } from './auth.entities.js';
import type { Principal } from './roles.js';

export const API_KEY_SCOPES = ['alerts'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyView {
  id: string;
  name: string;
  scope: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

// A key carries 256 random bits, so a fast unsalted hash is enough to keep it unusable if the table leaks.
const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const view = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  name: k.name,
  scope: k.scope,
  createdAt: iso(k.createdAt) as string,
  createdBy: k.createdBy,
  revokedAt: iso(k.revokedAt),
});

/** Keys for integrations (the alert feed); only their hashes are stored. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly audit: AuditService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** A new key; the returned `key` is the only time it is ever visible. */
  async create(name: string, scope: ApiKeyScope, actor: string): Promise<{ id: string; key: string }> {
    const key = `sw_${randomBytes(32).toString('base64url')}`;
    const row: ApiKeyEntity = {
      id: this.ids.next(),
      name,
      scope,
      keyHash: hashKey(key),
      createdAt: this.clock.now(),
      createdBy: actor,
      revokedAt: null,
    };
    await this.keys.manager.transaction(async (m) => {
      await m.getRepository(ApiKeyEntity).insert(row);
      await this.audit.record(actor, 'api-key.create', row.id, { name, scope }, m);
    });
    return { id: row.id, key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(view);
  }

  /** Revokes the key (idempotent); NOT_FOUND for an unknown id. */
  async revoke(id: string, actor: string): Promise<ApiKeyView> {
    const row = await this.keys.findOneBy({ id });
    if (!row) throw notFound(`api key ${id}`);
    if (row.revokedAt !== null) return view(row);
    row.revokedAt = this.clock.now();
    await this.keys.manager.transaction(async (m) => {
      await m.getRepository(ApiKeyEntity).update({ id, revokedAt: IsNull() }, { revokedAt: row.revokedAt });
      await this.audit.record(actor, 'api-key.revoke', id, { name: row.name }, m);
    });
    return view(row);
  }

  /** The principal for a presented key of this scope, or null when it is unknown or revoked. */
  async authenticate(key: string, scope: string): Promise<Principal | null> {
    const row = await this.keys.findOneBy({ keyHash: hashKey(key), scope, revokedAt: IsNull() });
    return row ? { username: `apikey:${row.name}`, role: 'operator', via: 'api-key' } : null;
  }
}
