import type { ValueTransformer } from 'typeorm';

/** Times are stored as epoch milliseconds (bigint); PostgreSQL returns bigint as text. */
export const epochMs: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
