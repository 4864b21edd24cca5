import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

interface Grant {
  audioId: string;
  sirenId: string;
  commandId: string;
  expiresAt: number;
  used: boolean;
}

/** A used or expired token is still told apart from an unknown one for this long. */
const REMEMBER_MS = 10 * 60_000;
export const AUDIO_FETCH_PATH = '/api/voice/audio/fetch';

/**
 * One-time download tokens for `voice` commands: each is bound to one (siren, command) and works once,
 * until the command expires. Kept in memory: a token never outlives its command (≤ 120 s).
 */
@Injectable()
export class AudioTokens {
  private readonly grants = new Map<string, Grant>();
  private lastForgetAt = 0;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
  ) {}

  /** The `audioUrl` for one command. */
  issue(g: Omit<Grant, 'used'>): string {
    this.forgetOld();
    const token = randomBytes(24).toString('base64url');
    this.grants.set(token, { ...g, used: false });
    return `${this.baseUrl()}${AUDIO_FETCH_PATH}/${token}`;
  }

  /** The audio a token opens, once: 404 for a token never issued, 403 for a used or expired one. */
  redeem(token: string): { audioId: string; sirenId: string } {
    const g = this.grants.get(token);
    if (!g) throw new DomainError('NOT_FOUND', 'audio token: unknown');
    if (g.used) throw new DomainError('FORBIDDEN', 'audio token: already used');
    if (this.clock.now() > g.expiresAt) throw new DomainError('FORBIDDEN', 'audio token: expired with its command');
    g.used = true;
    return { audioId: g.audioId, sirenId: g.sirenId };
  }

  /** At most once a second: a voice run issues one token per siren, and a walk per token would be quadratic. */
  private forgetOld(): void {
    const now = this.clock.now();
    if (now - this.lastForgetAt < 1_000) return;
    this.lastForgetAt = now;
    for (const [token, g] of this.grants) if (g.expiresAt < now - REMEMBER_MS) this.grants.delete(token);
  }

  /** VOICE_AUDIO_BASE_URL, else the address this service listens on. */
  private baseUrl(): string {
    if (this.config.VOICE_AUDIO_BASE_URL) return this.config.VOICE_AUDIO_BASE_URL.replace(/\/+$/, '');
    const addr = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null;
    const port = addr?.port ?? this.config.PORT;
    const host = !addr || addr.address === '0.0.0.0' || addr.address === '::' ? this.config.HOST : addr.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
}
