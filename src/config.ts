import { z } from 'zod';

// One validated config, resolved once at start from a plain record (process.env on Node, the Worker
// env on Workers). Nothing else reads the environment. The variable names are a public contract.

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default('file:data/minsheng.db')
    .refine(
      (u) => /^(file:|libsql:|https?:|wss?:|:memory:)/.test(u),
      'a libsql URL: file:PATH, libsql://…, https://… or :memory:',
    ),
  DATABASE_AUTH_TOKEN: optionalText,
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_ENCRYPT_KEY: optionalText,
  LARK_BASE_URL: z
    .string()
    .trim()
    .default('https://open.feishu.cn')
    .refine((u) => /^https?:\/\/[^\s]+$/.test(u), 'an http(s) URL such as https://open.feishu.cn')
    .transform((u) => u.replace(/\/+$/, '')),
  LARK_EVENT_MODE: z.enum(['webhook', 'ws'], { message: 'webhook or ws' }).default('webhook'),
  ADMIN_OPEN_IDS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  BOT_TIMEZONE: z
    .string()
    .trim()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Shanghai'),
  MINSHENG_NOW: optionalText.refine(
    (s) => s === undefined || !Number.isNaN(Date.parse(s)),
    'an ISO time such as 2024-10-28T09:00:00+08:00',
  ),
  CATALOG_YEAR: z.coerce.number().int().min(2000).max(2100).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // The progress board (src/board): the key that signs board links, and the address people open.
  BOARD_SECRET: optionalText.refine(
    (s) => s === undefined || s.length >= 32,
    'at least 32 characters (e.g. the output of `openssl rand -hex 32`)',
  ),
  PUBLIC_URL: optionalText
    .refine(
      (u) => u === undefined || /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(u),
      'the http(s) address people open the bot at, such as https://minsheng.example.gov.cn',
    )
    .transform((u) => u?.replace(/\/+$/, '')),
});

export type Config = z.infer<typeof schema> & {
  /** No Lark credentials: nothing is sent, everything is logged and kept in the outbox. */
  localMode: boolean;
};

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates an environment record; a bad value throws naming the variable and what it expects. */
export function parseConfig(env: Record<string, unknown>): Config {
  const r = schema.safeParse(env);
  if (!r.success) {
    const first = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${first}`);
  }
  const c = r.data;
  if (Boolean(c.LARK_APP_ID) !== Boolean(c.LARK_APP_SECRET)) {
    throw new ConfigError(
      `invalid configuration: ${c.LARK_APP_ID ? 'LARK_APP_SECRET' : 'LARK_APP_ID'}: required when ${c.LARK_APP_ID ? 'LARK_APP_ID' : 'LARK_APP_SECRET'} is set`,
    );
  }
  return { ...c, localMode: !c.LARK_APP_ID };
}
