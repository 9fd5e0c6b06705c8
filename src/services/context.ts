/** Everything a use case needs, built once at start-up and passed explicitly (no globals). */
import path from 'node:path';
import type { Config } from '../config.js';
import type { Store } from '../store/db.js';
import { FieldCrypto, type Keyring } from '../security/field-crypto.js';
import { randomBytes } from '../security/random-pool.js';
import { WorkCalendar } from '../domain/calendar.js';
import { memoizeWorkingDays } from '../domain/calendar-memo.js';
import { parseClockConfig, type ClockName, type ClockRule } from '../domain/clocks.js';
import { loadCalendarOverrides } from '../store/calendar.repository.js';
import { listUnits } from '../store/unit.repository.js';
import { UnitDirectory } from './units.js';

export interface Clock {
  now(): Date;
}

export interface AppContext {
  config: Config;
  store: Store;
  crypto: FieldCrypto;
  calendar: WorkCalendar;
  clocks: Record<ClockName, ClockRule>;
  units: UnitDirectory;
  clock: Clock;
  randomBytes(n: number): Uint8Array;
  uploadDir: string;
}

export const systemClock: Clock = { now: () => new Date() };

/** Builds the context from an opened, migrated store. */
export async function createContext(config: Config, store: Store, masterKey: Buffer | Keyring, clock: Clock = systemClock): Promise<AppContext> {
  const ctx: AppContext = {
    config,
    store,
    crypto: new FieldCrypto(masterKey),
    calendar: WorkCalendar.withBuiltIn({ overrides: [], years: [] }),
    clocks: parseClockConfig(config.clocksJson),
    units: new UnitDirectory([]),
    clock,
    randomBytes,
    uploadDir: path.join(config.dataDir, 'uploads'),
  };
  await reloadReferenceData(ctx);
  return ctx;
}

/** Re-reads the unit tree and the imported calendar after a change. */
export async function reloadReferenceData(ctx: AppContext): Promise<void> {
  ctx.units = new UnitDirectory(await listUnits(ctx.store.db));
  const cal = await loadCalendarOverrides(ctx.store.db);
  ctx.calendar = memoizeWorkingDays(WorkCalendar.withBuiltIn(cal));
}
