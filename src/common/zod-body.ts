import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { describeIssues } from '../protocol/parse.js';
import { invalid } from './domain-error.js';

/** Validates a request body (or query) against a zod schema; 400 naming the field otherwise. */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly where = 'body',
  ) {}

  transform(value: unknown): T {
    const r = this.schema.safeParse(value ?? {});
    if (!r.success) throw invalid(`${this.where}: ${describeIssues(r.error)}`);
    return r.data;
  }
}
