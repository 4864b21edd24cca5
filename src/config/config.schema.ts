import { hostname } from 'node:os';
import { z } from 'zod';
import { passwordProblem } from '../auth/password-policy.js';
import { isTimeZone } from '../common/local-time.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65_535);
const positive = z.coerce.number().positive();

/** Environment → typed configuration, validated once at start. */
export const configSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    MQTT_URL: z.string().regex(/^(mqtts?|wss?|tcp):\/\/.+/, 'must be a URL such as mqtt://host:1883').optional(),
    MQTT_PORT: port.default(1883),
    MQTT_CLIENT_ID: z.string().min(1).max(128).default(`sirenwatch-${hostname()}`),
    MQTT_USERNAME: z.string().optional(),
    MQTT_PASSWORD: z.string().optional(),
    MQTT_TOPIC_ROOT: z.string().min(1).regex(/^[^#+]+$/, 'must not contain MQTT wildcards').default('sirenwatch/v1'),
    MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
    /** Extra connections that only send commands (external broker only): see src/mqtt/command-publishers.ts. */
    MQTT_COMMAND_CONNECTIONS: z.coerce.number().int().min(0).max(16).default(4),
    MQTT_PROTOCOL_VERSION: z.enum(['4', '5']).default('4').transform(Number) as z.ZodType<4 | 5>,
    /** Seconds between keepalive pings on the broker connection; a link silent 1.5 × this long is dropped. */
    MQTT_KEEPALIVE_S: z.coerce.number().int().min(1).max(65_535).default(30),
    /**
     * PEM files for an mqtts:// or wss:// broker: the CA that signed its certificate (a private CA, as
     * make-certs.sh makes; unset: the system's CAs), and a client certificate and unencrypted key where
     * the broker asks the service for one. Read at start (src/config/mqtt-tls.ts).
     */
    MQTT_CA_FILE: z.string().min(1).optional(),
    MQTT_CERT_FILE: z.string().min(1).optional(),
    MQTT_KEY_FILE: z.string().min(1).optional(),
    /**
     * One of several instances on one PostgreSQL and one broker: the holder of the leader lock runs the
     * service, the others stand by, forward their consoles to it and take over when it goes (docs/scaling.md).
     */
    CLUSTER: bool.default(false),
    /** How the other instances reach this one's HTTP (at most 63 characters: it is the lock session's name). */
    CLUSTER_ADVERTISE_URL: z.url().regex(/^https?:\/\/[^/]+\/?$/, 'must be a base URL such as http://10.0.0.5:3000').optional(),
    /** How often a standby tries the leader lock, and the leader checks that it still holds it. */
    CLUSTER_LOCK_POLL_MS: z.coerce.number().int().min(100).max(10_000).default(1_000),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Key for secrets at rest (sirens' signing keys); unset → a generated DATA_DIR/secret.key. */
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
    ADMIN_USERNAME: z.string().min(1).max(64).optional(),
    ADMIN_PASSWORD: z
      .string()
      .superRefine((p, ctx) => {
        const problem = passwordProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    JWT_TTL_S: z.coerce.number().int().min(60).default(12 * 3600),
    /** How long a token's session (revoked? user disabled?) is taken from memory before asking the database again. */
    SESSION_CHECK_CACHE_S: z.coerce.number().min(0).max(60).default(5),
    /** Origins (comma-separated, e.g. https://ops.example.org) allowed to call the API from a browser; empty = none. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.url().regex(/^https?:\/\/[^/]+$/, 'must be origins such as https://ops.example.org (scheme and host, no path)'))),
    /** Requests per minute per caller (user, API key or address); 0 = no general limit (API.md). */
    RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(0),
    /** Strict-Transport-Security max-age, for a service served over HTTPS by a proxy; 0 = not sent. */
    HSTS_MAX_AGE_S: z.coerce.number().int().min(0).default(0),
    /** Largest request body a route takes unless it declares more (imports, CAP documents). */
    BODY_LIMIT_KB: z.coerce.number().int().min(1).max(100_000).default(256),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    LOGIN_WINDOW_S: z.coerce.number().int().min(1).default(15 * 60),
    SIMULATION: bool.optional(),
    /**
     * Time a siren has to report a drill step after the (scaled) length of what it plays: covers the
     * network's delay. Longer for slow comms paths; a simulation on loopback needs less.
     */
    DRILL_REPORT_GRACE_S: z.coerce.number().min(1).max(600).default(10),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    /** Unset → json when NODE_ENV=production, else text. */
    LOG_FORMAT: z.enum(['json', 'text']).optional(),
    /** A graceful stop (SIGTERM/SIGINT) that takes longer than this exits non-zero anyway. */
    SHUTDOWN_TIMEOUT_S: positive.default(15),
    DEFAULT_INTERVAL_S: positive.default(30),
    OFFLINE_MULTIPLE: positive.default(3),
    OFFLINE_SWEEP_S: positive.default(2),
    WILL_HOLD_S: z.coerce.number().min(0).default(2),
    BATTERY_LOW_PCT: z.coerce.number().min(0).max(100).default(30),
    BATTERY_OK_PCT: z.coerce.number().min(0).max(100).default(35),
    OVERTEMP_C: z.coerce.number().default(70),
    OVERTEMP_CLEAR_C: z.coerce.number().default(65),
    RSSI_LOW_DBM: z.coerce.number().default(-110),
    LOSS_PCT: z.coerce.number().min(0).max(100).default(5),
    CLOCK_SKEW_S: positive.default(60),
    FAULT_FLAP_HOLDOFF_S: z.coerce.number().min(0).default(120),
    /** Per-type on-delay for fleeting faults, e.g. `MAINS_FAILURE:10,COMMS_DEGRADED:30` (seconds). */
    FAULT_ON_DELAY: z
      .string()
      .regex(/^([A-Z_]+:\d+(\.\d+)?)?(,[A-Z_]+:\d+(\.\d+)?)*$/, 'must look like MAINS_FAILURE:10,COMMS_DEGRADED:30')
      .default('')
      .transform((v) => Object.fromEntries(v.split(',').filter(Boolean).map((kv) => [kv.split(':')[0], Number(kv.split(':')[1]) * 1000])) as Record<string, number>),
    INCIDENT_POWER_MIN: z.coerce.number().int().min(2).default(5),
    INCIDENT_POWER_PCT: z.coerce.number().min(0).max(100).default(30),
    INCIDENT_POWER_WINDOW_S: positive.default(300),
    INCIDENT_COMMS_MIN: z.coerce.number().int().min(2).default(20),
    INCIDENT_COMMS_PCT: z.coerce.number().min(0).max(100).default(10),
    INCIDENT_COMMS_WINDOW_S: positive.default(30),
    FLOOD_ANNUNCIATIONS: z.coerce.number().int().min(1).default(10),
    /** CAP geocode value names whose values are the sirens' district codes. */
    ALERT_GEOCODE_NAMES: z
      .string()
      .default('GB/T2260,GB2260,ADCODE,districtCode')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
    /** The pattern proposed for an alert (the operator confirms or picks another). */
    ALERT_DEFAULT_PATTERN: z.string().default('cn.pre-alert'),
    /** How sirens reach this service to download spoken-message audio; unset → the address it listens on. */
    VOICE_AUDIO_BASE_URL: z.url().optional(),
    NOTIFY_WEBHOOK_URL: z.url().optional(),
    QUARANTINE_MAX_ROWS: z.coerce.number().int().min(100).default(10_000),
    /** Period of the ingest commits (back to back when a commit takes longer). */
    INGEST_BATCH_MS: z.coerce.number().int().min(1).default(250),
    /** How often the live siren state is written (a crash replays the journal from the last one). */
    STATE_SNAPSHOT_S: z.coerce.number().min(0).default(5),
    /** Siren states written per ingest batch while a snapshot round lasts: about 10 ms of the event loop. */
    STATE_SNAPSHOT_SLICE: z.coerce.number().int().min(1).default(5_000),
    INGEST_MAX_PENDING: z.coerce.number().int().min(100).default(20_000),
    JOURNAL_FSYNC_MS: z.coerce.number().int().min(0).default(200),
    /**
     * V8's heap growth after each full collection, in percent of the live heap (0: V8's own choice, up to
     * 4× on a large machine). 20 keeps 100 000 sirens near 400 MiB instead of 1 GiB, for about 6 µs more
     * CPU per ingested message.
     */
    HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(20),
    /** District outlines (a GeoJSON FeatureCollection) for the console's map; unset → the demo city's. */
    MAP_GEOJSON: z.string().min(1).optional(),
    /** The control room's time zone: the console shows every time in it. */
    CONSOLE_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
    /** Raw status points are kept this long, then folded into 5-minute aggregates kept HISTORY_AGGREGATE_DAYS. */
    HISTORY_RAW_DAYS: positive.default(7),
    HISTORY_AGGREGATE_DAYS: positive.default(365),
    HISTORY_RETENTION_INTERVAL_S: positive.default(3600),
    /** The office's time zone: monthly reports cover its calendar months and print times in it. */
    REPORT_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  });

/** Variables production cannot do without (the demo fills in the admin itself). */
export const PRODUCTION_REQUIRED = ['MQTT_URL', 'DATABASE_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD', 'SECRET_KEY'] as const;

export type AppConfig = Omit<z.infer<typeof configSchema>, 'ADMIN_USERNAME' | 'LOG_FORMAT' | 'CLUSTER_ADVERTISE_URL'> & {
  ADMIN_USERNAME: string;
  /** Set from HOST and PORT when not given. */
  CLUSTER_ADVERTISE_URL: string;
  LOG_FORMAT: 'json' | 'text';
  demo: boolean;
  withSim: boolean;
  /** MQTT_PORT was set by the user (then a taken port is an error even in the demo). */
  mqttPortExplicit: boolean;
};

/** Names of settings whose values never reach a log line. */
export const SECRET_KEYS = ['MQTT_PASSWORD', 'ADMIN_PASSWORD', 'SECRET_KEY', 'DATABASE_URL', 'MQTT_URL'] as const;
