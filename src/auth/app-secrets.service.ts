import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppSecretEntity } from './auth.entities.js';

/**
 * Secrets generated once and kept in the database, so that every instance sharing it agrees
 * (the JWT signing key: a token issued by one instance is accepted by the others).
 */
@Injectable()
export class AppSecretsService {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    @InjectRepository(AppSecretEntity) private readonly secrets: Repository<AppSecretEntity>,
    private readonly clock: Clock,
  ) {}

  /** The named secret, created with 32 random bytes on first use. */
  get(name: string): Promise<string> {
    let value = this.cache.get(name);
    if (!value) {
      value = this.loadOrCreate(name);
      this.cache.set(name, value);
      // A failed read (database down) is retried on the next call instead of being remembered.
      value.catch(() => this.cache.delete(name));
    }
    return value;
  }

  private async loadOrCreate(name: string): Promise<string> {
    const row = { name, value: randomBytes(32).toString('base64url'), createdAt: this.clock.now() };
    // Two instances starting together: the first insert wins and both read back the winner.
    await this.secrets.createQueryBuilder().insert().values(row).orIgnore().execute();
    const stored = await this.secrets.findOneByOrFail({ name });
    return stored.value;
  }
}
