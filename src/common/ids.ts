import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** Identifier source, injectable so tests can make ids predictable. */
@Injectable()
export class IdGenerator {
  next(): string {
    return randomUUID();
  }
}
