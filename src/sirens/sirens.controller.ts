import { Body, Controller, Header, Headers, HttpCode, Inject, Param, Post, Put, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditService } from '../auth/audit.service.js';
import { CurrentPrincipal } from '../auth/decorators.js';
import { MinRole, type Principal } from '../auth/roles.js';
import { BodyLimit } from '../common/body-limit.js';
import { DomainError, invalid } from '../common/domain-error.js';
import { ZodPipe } from '../common/zod-body.js';
import { parseRegistryCsv, parseRegistryGeoJson, validateRegistryRow } from '../protocol/registry-format.js';
import { RegistryService } from './registry.service.js';

const maintenanceBody = z.object({ on: z.boolean(), note: z.string().max(1000).nullable().optional() });
const secretBody = z.object({ secret: z.string().min(16, 'must be at least 16 characters').max(256).nullable() });
const capabilitiesBody = z.object({ capabilities: z.array(z.enum(['tone', 'voice'])).min(1).max(8).nullable() });
const IMPORT_LIMIT_BYTES = 20 * 1024 * 1024;

/** Registry writes: add a siren, import many, maintenance on/off. Reads are served with live health. */
@ApiTags('sirens')
@ApiBearerAuth()
@Controller('api/sirens')
export class SirensController {
  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Post()
  @MinRole('engineer')
  async create(@Body() body: unknown, @CurrentPrincipal() who: Principal) {
    const v = validateRegistryRow(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});
    if (!v.ok) throw invalid(`body: ${v.reason}`);
    const siren = await this.registry.create(v.row);
    await this.audit.record(who.username, 'siren.create', siren.id, v.row);
    return siren;
  }

  /** The file as the raw body (text/csv, application/geo+json) or as multipart field `file`. */
  @Post('import')
  @HttpCode(200)
  @MinRole('engineer')
  @BodyLimit(IMPORT_LIMIT_BYTES)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_LIMIT_BYTES } }))
  async import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @UploadedFile() file: { buffer: Buffer; mimetype: string; originalname: string } | undefined,
    @CurrentPrincipal() who: Principal,
  ) {
    const text = file ? file.buffer.toString('utf8') : typeof body === 'string' ? body : null;
    if (text === null) throw new DomainError('UNSUPPORTED_MEDIA', 'send the file as text/csv or application/geo+json, or as multipart field "file"');
    const type = file ? (file.originalname.match(/\.(geo)?json$/i) ? 'application/geo+json' : file.mimetype) : (contentType ?? '');
    const parsed = /json/i.test(type) ? parseRegistryGeoJson(text) : parseRegistryCsv(text);
    const result = await this.registry.import(parsed.rows, parsed.rejected);
    await this.audit.record(who.username, 'siren.import', null, { created: result.created, updated: result.updated, rejected: result.rejected.length });
    return result;
  }

  /** The HMAC key the siren was provisioned with; commands to it are signed from now on. Never read back. */
  @Put(':id/secret')
  @MinRole('engineer')
  async secret(@Param('id') id: string, @Body(new ZodPipe(secretBody)) body: z.infer<typeof secretBody>, @CurrentPrincipal() who: Principal) {
    await this.registry.setSecret(id, body.secret);
    await this.audit.record(who.username, body.secret ? 'siren.secret.set' : 'siren.secret.remove', id);
    return { id, signed: body.secret !== null };
  }

  /** A new generated secret, shown once: provision it on the siren out of band (docs/security.md). */
  @Post(':id/secret/rotate')
  @HttpCode(200)
  @MinRole('admin')
  @Header('Cache-Control', 'no-store')
  async rotateSecret(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    const secret = await this.registry.rotateSecret(id);
    await this.audit.record(who.username, 'siren.secret.rotate', id);
    return { id, secret };
  }

  /** Sets what the siren can play (e.g. `voice` for a multimedia siren), overriding its birth; null returns to it. */
  @Put(':id/capabilities')
  @MinRole('engineer')
  async capabilities(@Param('id') id: string, @Body(new ZodPipe(capabilitiesBody)) body: z.infer<typeof capabilitiesBody>, @CurrentPrincipal() who: Principal) {
    const siren = await this.registry.setCapabilities(id, body.capabilities ? [...new Set(body.capabilities)] : null);
    await this.audit.record(who.username, 'siren.capabilities', id, { capabilities: siren.capabilities });
    return { id: siren.id, capabilities: siren.capabilities };
  }

  @Put(':id/maintenance')
  async maintenance(@Param('id') id: string, @Body(new ZodPipe(maintenanceBody)) body: z.infer<typeof maintenanceBody>, @CurrentPrincipal() who: Principal) {
    const siren = await this.registry.setMaintenance(id, body.on, body.note ?? null);
    await this.audit.record(who.username, body.on ? 'siren.maintenance.on' : 'siren.maintenance.off', id, { note: body.note ?? null });
    return { id: siren.id, maintenance: siren.maintenance, note: siren.maintenanceNote };
  }
}
