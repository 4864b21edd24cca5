import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { SecretBox } from '../common/secret-box.js';
import { migrationsWithKey } from './migrations.js';
import { WriteBehind } from './write-behind.service.js';

export type Dialect = 'sqlite' | 'postgres';
export const dialectOf = (config: AppConfig): Dialect => (config.DATABASE_URL ? 'postgres' : 'sqlite');

/** SQLite in DATA_DIR (zero-setup) or PostgreSQL (DATABASE_URL); the schema always comes from migrations. */
export function dataSourceOptions(config: AppConfig, box: SecretBox): DataSourceOptions {
  const common = { migrations: migrationsWithKey(box), migrationsRun: true, synchronize: false, logging: ['error'] as const };
  if (config.DATABASE_URL) {
    // A connection attempt to an unreachable server gives up after 5 s (health says db: down) instead of hanging.
    return { type: 'postgres', url: config.DATABASE_URL, extra: { max: 10, connectionTimeoutMillis: 5_000 }, ...common, logging: ['error'] };
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  return {
    type: 'better-sqlite3',
    database: join(config.DATA_DIR, 'sirenwatch.db'),
    // WAL lets readers go on while the ingest batch commits; NORMAL is durable across a process crash.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
    },
    ...common,
    logging: ['error'],
  };
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, SecretBox],
      useFactory: (config: AppConfig, box: SecretBox) => ({ ...dataSourceOptions(config, box), autoLoadEntities: true }),
    }),
  ],
  providers: [WriteBehind],
  exports: [WriteBehind],
})
export class DatabaseModule {}
