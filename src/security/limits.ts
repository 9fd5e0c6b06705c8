/** Request limits per client address (README lists the variables). XINFANG_RATE_LIMIT=0 turns them all off (bench, tests). */

export interface LimitsConfig {
  enabled: boolean;
  /** Login attempts per minute per address. */
  loginPerMinute: number;
  /** Failed logins per 15 minutes per address (on top of the per-account lockout). */
  loginFailuresPer15Min: number;
  registerPerHour: number;
  submitPerMinute: number;
  trackPerMinute: number;
  /** Tracking lookups of unknown codes per 15 minutes per address: query codes cannot be enumerated. */
  trackFailuresPer15Min: number;
}

function int(v: string | undefined, def: number, name: string): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`环境变量 ${name} 必须是正整数，当前为 "${v}"`);
  return n;
}

/** Reads the limits from an environment. */
export function loadLimits(env: NodeJS.ProcessEnv): LimitsConfig {
  return {
    enabled: (env.XINFANG_RATE_LIMIT ?? '1') !== '0',
    loginPerMinute: int(env.XINFANG_RATE_LOGIN, 30, 'XINFANG_RATE_LOGIN'),
    loginFailuresPer15Min: int(env.XINFANG_RATE_LOGIN_FAILURES, 20, 'XINFANG_RATE_LOGIN_FAILURES'),
    registerPerHour: int(env.XINFANG_RATE_REGISTER, 30, 'XINFANG_RATE_REGISTER'),
    submitPerMinute: int(env.XINFANG_RATE_SUBMIT, 20, 'XINFANG_RATE_SUBMIT'),
    trackPerMinute: int(env.XINFANG_RATE_TRACK, 60, 'XINFANG_RATE_TRACK'),
    trackFailuresPer15Min: int(env.XINFANG_RATE_TRACK_FAILURES, 20, 'XINFANG_RATE_TRACK_FAILURES'),
  };
}
