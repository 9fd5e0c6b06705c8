/** Configuration: environment variables only (README has the table). */
import path from 'node:path';
import { loadLimits, type LimitsConfig } from './security/limits.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  demoData: boolean;
  maxUploadBytes: number;
  maxAttachmentsPerCase: number;
  maxBodyBytes: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  cookieSecure: boolean;
  logLevel: string;
  clocksJson: string | undefined;
  publicBaseUrl: string;
  limits: LimitsConfig;
  /** 重复信访 detector: similarity threshold (0 switches detection off); see services/repeat.service.ts. */
  repeatThreshold: number;
  /** Queue counts and list totals stop at this many (shown as 1000+); see store/workbench.repository.ts. */
  countCap: number;
}

function int(v: string | undefined, def: number, name: string): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`环境变量 ${name} 必须是非负整数，当前为 "${v}"`);
  return n;
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.XINFANG_DATA_DIR ?? './data');
  const port = int(env.XINFANG_PORT ?? env.PORT, 3000, 'XINFANG_PORT');
  return {
    port,
    host: env.XINFANG_HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl: env.XINFANG_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'xinfang.db')}`,
    demoData: (env.XINFANG_DEMO ?? '1') !== '0',
    maxUploadBytes: int(env.XINFANG_MAX_UPLOAD_MB, 10, 'XINFANG_MAX_UPLOAD_MB') * 1024 * 1024,
    maxAttachmentsPerCase: int(env.XINFANG_MAX_ATTACHMENTS, 10, 'XINFANG_MAX_ATTACHMENTS'),
    maxBodyBytes: int(env.XINFANG_MAX_BODY_KB, 256, 'XINFANG_MAX_BODY_KB') * 1024,
    sessionIdleMinutes: int(env.XINFANG_SESSION_IDLE_MIN, 30, 'XINFANG_SESSION_IDLE_MIN'),
    sessionMaxHours: int(env.XINFANG_SESSION_MAX_HOURS, 12, 'XINFANG_SESSION_MAX_HOURS'),
    cookieSecure: env.XINFANG_COOKIE_SECURE === '1',
    logLevel: env.XINFANG_LOG_LEVEL ?? 'info',
    clocksJson: env.XINFANG_CLOCKS,
    publicBaseUrl: env.XINFANG_PUBLIC_URL ?? `http://localhost:${port}`,
    limits: loadLimits(env),
    countCap: Math.max(1, int(env.XINFANG_COUNT_CAP, 1000, 'XINFANG_COUNT_CAP')),
    repeatThreshold: env.XINFANG_REPEAT_THRESHOLD === undefined || env.XINFANG_REPEAT_THRESHOLD === '' ? 0.4 : Math.min(1, Math.max(0, Number(env.XINFANG_REPEAT_THRESHOLD) || 0)),
  };
}
