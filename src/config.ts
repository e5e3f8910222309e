import { z } from 'zod';

/**
 * The environment, validated once at start. Every variable is listed in .env.example and the README.
 * Capabilities read their settings from here, never from process.env directly.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
  .default('false')
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** "24h,2h,30m,1d" → milliseconds, longest first. */
const offsets = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const out: number[] = [];
      for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
        const m = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/i.exec(part);
        if (!m) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not a duration such as 24h, 2h, 30m or 1d` });
          return z.NEVER;
        }
        const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2].toLowerCase() as 'm' | 'h' | 'd'];
        out.push(Math.round(Number(m[1]) * unit));
      }
      return out.sort((a, b) => b - a);
    });

const list = z
  .string()
  .default('')
  .transform((s) => s.split(/[,;\s]+/).map((x) => x.trim()).filter(Boolean));

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Where the embedded PGlite database lives when DATABASE_URL is not set. */
  DATA_DIR: z.string().default('./data'),
  /** postgres://… — use a PostgreSQL server instead of PGlite. */
  DATABASE_URL: z.string().optional().transform((v) => (v ? v : undefined)),
  MicrosoftAppId: z.string().optional().transform((v) => (v ? v : undefined)),
  MicrosoftAppPassword: z.string().optional().transform((v) => (v ? v : undefined)),
  MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMsi']).default('SingleTenant'),
  MicrosoftAppTenantId: z.string().optional().transform((v) => (v ? v : undefined)),
  /** The bot's public https base URL (used for links in cards, .ics downloads and the tab). */
  PUBLIC_BASE_URL: z.string().default('http://localhost:3978'),
  /** Entra object ids of the secretariat: only they may run secretariat commands. */
  SECRETARIAT_AAD_IDS: list,
  /** Tenants whose users may vote and use the tab. Empty means: the bot's own tenant only (MicrosoftAppTenantId). */
  ALLOWED_TENANT_IDS: list,
  /** Post the minutes summary to the forum's channel as soon as minutes are imported. */
  AUTO_POST_MINUTES: bool,
  /** Reminders before a meeting. */
  MEETING_REMINDER_OFFSETS: offsets('1d'),
  /** Reminders before a written procedure's deadline, to those who have not voted. */
  PROCEDURE_REMINDER_OFFSETS: offsets('24h,2h'),
  /** Audience (application id URI) of SSO tokens from the tab, e.g. api://example.com/<app id>. */
  TAB_SSO_AUDIENCE: z.string().optional(),
  /** Entra's signing keys for tab SSO tokens (tests point this at a local JWKS). */
  TAB_SSO_JWKS_URL: z.string().url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  /** Local mode only (no app id): the Entra object id the tab's development identity has (default: the Playground's current user). */
  TAB_DEV_AAD_OBJECT_ID: z.string().default('00000000-0000-0000-0000-000000000020'),
  /** The Teams app's id in the manifest (a GUID). Defaults to MicrosoftAppId. */
  TEAMS_APP_ID: z.string().optional().transform((v) => (v ? v : undefined)),
  /** Run the broadcasts delivery worker (outbox, reminders) in this `serve` instance. */
  BROADCAST_WORKER: z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', '']).default('true').transform((v) => v === '' || ['true', '1', 'yes', 'on'].includes(v)),
  /** Outbox rows one instance works on at once (waiting for a throttle slot or sending). */
  BROADCAST_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /** A claimed outbox row whose instance died is retried after this many seconds. */
  BROADCAST_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** Requests per second per tenant (Teams allows 50), shared by all instances. */
  BROADCAST_TENANT_RATE: z.coerce.number().int().min(1).max(50).default(50),
  /** A send or update that takes longer counts as a timeout (retried). */
  BROADCAST_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Attempts for 412/502/503/504/timeouts before a delivery is marked failed. */
  BROADCAST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** Local mode: no app id, so requests are unauthenticated and the server listens on loopback only. */
export const isLocalMode = (c: Config) => !c.MicrosoftAppId;
