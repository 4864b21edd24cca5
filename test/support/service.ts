import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap.js';
import type { AppConfig } from '../../src/config/config.schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { EmbeddedBroker } from '../../src/mqtt/embedded-broker.service.js';
import { type Backend, externalServers, freePort, tempDir, uniq } from './env.js';

export const ADMIN_PASSWORD = 'test-admin-password-1';

export interface ServiceOptions {
  backend: Backend;
  /** Reuse these to restart "the same" service. */
  dataDir?: string;
  databaseUrl?: string;
  topicRoot?: string;
  clientId?: string;
  mqttUrl?: string;
  mqttPort?: number;
  env?: Record<string, string>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** HTTP calls to a running service the way an operator's client makes them. */
export class ApiClient {
  private tokens = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async token(username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const r = await this.request('POST', '/api/auth/login', { body: { username, password }, token: null });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    this.tokens.set(username, r.body.token);
    return r.body.token;
  }

  /** An HTTP call; by default as admin. `token: null` sends none. */
  async request<T = any>(method: string, path: string, o: { body?: unknown; token?: string | null; contentType?: string } = {}): Promise<ApiResponse<T>> {
    const token = o.token === undefined ? await this.token() : o.token;
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      headers['content-type'] = o.contentType ?? 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics, HTML): keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async get<T = any>(path: string): Promise<T> {
    const r = await this.request<T>('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Registers sirens through the import endpoint (as an engineer would). */
  async register(ids: string[], district = '360102'): Promise<void> {
    const csv = ['id,name,districtCode,districtName,lat,lon', ...ids.map((id, i) => `${id},Siren ${id},${district},东湖区,28.68,${(115.9 + i * 0.001).toFixed(4)}`)].join('\n');
    const r = await this.request('POST', '/api/sirens/import', { body: csv, contentType: 'text/csv' });
    if (r.status !== 200 || r.body.rejected.length) throw new Error(`import: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** A metric's value; `labels` empty for one without labels. */
  async metric(name: string, labels: string): Promise<number> {
    const r = await this.request<string>('GET', '/metrics', { token: null });
    const series = labels ? `${name}{${labels}} ` : `${name} `;
    const line = r.body.split('\n').find((l) => l.startsWith(series));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

}

/** The whole service in this process, on a free port, against embedded or external servers. */
export class TestService extends ApiClient {
  private constructor(
    readonly app: NestExpressApplication,
    readonly config: AppConfig,
    baseUrl: string,
    readonly options: Required<Pick<ServiceOptions, 'dataDir' | 'topicRoot' | 'clientId'>> & ServiceOptions,
  ) {
    super(baseUrl);
  }

  static async start(o: ServiceOptions): Promise<TestService> {
    const options = { ...o, dataDir: o.dataDir ?? tempDir(), topicRoot: o.topicRoot ?? `t${uniq()}/v1`, clientId: o.clientId ?? `sw-test-${uniq()}` };
    const env: Record<string, string> = {
      DATA_DIR: options.dataDir,
      HOST: '127.0.0.1',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'error',
      MQTT_TOPIC_ROOT: options.topicRoot,
      MQTT_CLIENT_ID: options.clientId,
      OFFLINE_SWEEP_S: '0.2',
      INGEST_BATCH_MS: '20',
      // Simulated sirens on loopback report at once: the field's 10 s would only make drill tests wait.
      DRILL_REPORT_GRACE_S: '5',
      ...o.env,
    };
    if (o.backend === 'external') {
      const ext = externalServers();
      if (!ext) throw new Error('external backend requested without TEST_DATABASE_URL / TEST_MQTT_URL');
      if (!o.databaseUrl) throw new Error('external backend needs a fresh databaseUrl (see freshDatabase)');
      env.DATABASE_URL = o.databaseUrl;
      env.MQTT_URL = o.mqttUrl ?? ext.mqttUrl;
    } else if (o.mqttUrl) env.MQTT_URL = o.mqttUrl;
    else env.MQTT_PORT = String(o.mqttPort ?? (await freePort()));
    const config = loadConfig(env);
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const svc = new TestService(app, config, `http://127.0.0.1:${port}`, { ...options, mqttPort: config.MQTT_PORT });
    return svc;
  }

  /** The broker URL sirens use to reach this service. */
  get mqttUrl(): string {
    return this.config.MQTT_URL ?? this.app.get(EmbeddedBroker).url;
  }

  get topicRoot(): string {
    return this.options.topicRoot;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
