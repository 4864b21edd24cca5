import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MIGRATIONS } from './migrations.js';
import { WriteBehind } from './write-behind.service.js';

export type Dialect = 'sqlite' | 'postgres';
export const dialectOf = (config: AppConfig): Dialect => (config.DATABASE_URL ? 'postgres' : 'sqlite');

/** SQLite in DATA_DIR (zero-setup) or PostgreSQL (DATABASE_URL); the schema always comes from migrations. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: ['error'] as const };
  if (config.DATABASE_URL) {
    return { type: 'postgres', url: config.DATABASE_URL, extra: { max: 10 }, ...common, logging: ['error'] };
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
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
    }),
  ],
  providers: [WriteBehind],
  exports: [WriteBehind],
})
export class DatabaseModule {}
