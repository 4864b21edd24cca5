import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { z } from 'zod';
import type { Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service.js';
import { Clock } from '../common/clock.js';
import { IdGenerator } from '../common/ids.js';
import { VoiceTemplateEntity } from './voice.entities.js';

export const templateSchema = z.object({
  name: z.string().trim().min(1).max(200),
  textZh: z.string().trim().min(1).max(2000),
  textEn: z.string().trim().min(1).max(2000),
});

/** Message templates in both languages (shelter guidance, the drill announcement) that operators fill in. */
@Injectable()
export class VoiceTemplates {
  constructor(
    @InjectRepository(VoiceTemplateEntity) private readonly repo: Repository<VoiceTemplateEntity>,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  list(): Promise<VoiceTemplateEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async create(t: z.infer<typeof templateSchema>, actor: string): Promise<VoiceTemplateEntity> {
    const row: VoiceTemplateEntity = { id: this.ids.next(), ...t, createdBy: actor, createdAt: this.clock.now() };
    await this.repo.insert(row);
    await this.audit.record(actor, 'voice.template.create', row.id, { name: row.name });
    return row;
  }
}
