/**
 * The scheduler, inside `serve` or alone as `xinfang jobs`: the deadline sweep under a lease (one
 * instance at a time across any number of processes) and outbox delivery, which every instance
 * may run because messages are claimed row by row (SKIP LOCKED on PostgreSQL).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { reloadReferenceData, type AppContext } from '../services/context.js';
import { runSweep, urgeDaysFromEnv, type SweepResult } from './sweep.js';
import { deliverOutbox, httpSmsGateway, type DeliveryOptions, type DeliveryResult, type Transports } from './outbox-delivery.js';
import { releaseLease, tryLease } from './lease.js';
import { mailFrom, smtpSender } from '../mail/outbound.js';
import { optimizeStore } from '../store/optimize.js';
import { watchHotspots, type HotspotWatchResult } from '../services/hotspot-watch.service.js';
import { flushRollups, startRollupBuild } from '../services/stats-rollup.service.js';
import { rollupBuilt } from '../store/stats-rollup.repository.js';

export interface SchedulerOptions {
  owner?: string;
  urgeDays?: number;
  sweepEveryMs?: number;
  deliverEveryMs?: number;
  /** How often the planner statistics are refreshed (default hourly). */
  optimizeEveryMs?: number;
  hotspotEveryMs?: number;
  /** How often new cases queued for the statistics rollups are applied (default every 2 s). */
  rollupFlushEveryMs?: number;
  transports: Transports;
  delivery?: Partial<Omit<DeliveryOptions, 'owner' | 'transports'>>;
  log?: (line: string) => void;
}

const SWEEP_LEASE = 'deadline-sweep';
const SWEEP_LEASE_MS = 10 * 60_000;

export class Scheduler {
  readonly owner: string;
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();
  private stopped = true;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: SchedulerOptions,
  ) {
    this.owner = opts.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  }

  /** One sweep if this instance gets the lease; null when another instance holds it. */
  async sweepOnce(): Promise<SweepResult | null> {
    const now = this.ctx.clock.now();
    if (!(await tryLease(this.ctx.store.db, SWEEP_LEASE, this.owner, SWEEP_LEASE_MS, now))) return null;
    let text = 'error';
    try {
      // Another process may have imported a calendar year: sweep with the current data.
      await reloadReferenceData(this.ctx);
      const r = await runSweep(this.ctx, { urgeDays: this.opts.urgeDays ?? urgeDaysFromEnv() });
      text = JSON.stringify(r);
      return r;
    } finally {
      await releaseLease(this.ctx.store.db, SWEEP_LEASE, this.owner, this.ctx.clock.now(), text);
    }
  }

  /** One hotspot watch (热点推送) if this instance gets its lease; null when another instance holds it. */
  async hotspotsOnce(): Promise<HotspotWatchResult | null> {
    if (!(await tryLease(this.ctx.store.db, 'hotspot-watch', this.owner, SWEEP_LEASE_MS, this.ctx.clock.now()))) return null;
    let text = 'error';
    try {
      const r = await watchHotspots(this.ctx);
      text = JSON.stringify(r);
      return r;
    } finally {
      await releaseLease(this.ctx.store.db, 'hotspot-watch', this.owner, this.ctx.clock.now(), text);
    }
  }

  /**
   * Builds the statistics rollups if they are not (after migration 016 on a database with cases, or
   * a reset), chunk by chunk in the background from where a previous build stopped; null when built.
   */
  async rollupsOnce(): Promise<{ built: boolean } | null> {
    if (await rollupBuilt(this.ctx.store.db)) return null;
    await startRollupBuild(this.ctx, { shouldStop: () => this.stopped });
    return { built: await rollupBuilt(this.ctx.store.db) };
  }

  /** Applies the new cases queued for the statistics rollups; null when none waited. */
  async rollupQueueOnce(): Promise<{ cases: number } | null> {
    const cases = await flushRollups(this.ctx);
    return cases > 0 ? { cases } : null;
  }

  /** Delivers until nothing is due (or a batch made no progress). */
  async deliverAll(): Promise<DeliveryResult> {
    const total: DeliveryResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
    for (;;) {
      const r = await deliverOutbox(this.ctx, { owner: this.owner, transports: this.opts.transports, ...this.opts.delivery });
      total.claimed += r.claimed;
      total.sent += r.sent;
      total.retrying += r.retrying;
      total.failed += r.failed;
      if (r.claimed === 0 || r.sent === 0) return total;
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop(() => this.sweepOnce(), this.opts.sweepEveryMs ?? 60_000, 'sweep');
    this.loop(() => this.deliverAll(), this.opts.deliverEveryMs ?? 2_000, 'outbox');
    // Planner statistics follow the data (store/optimize.ts); hourly, the first run an hour after start.
    this.loop(() => optimizeStore(this.ctx.store), this.opts.optimizeEveryMs ?? 3_600_000, 'optimize', this.opts.optimizeEveryMs ?? 3_600_000);
    this.loop(() => this.hotspotsOnce(), this.opts.hotspotEveryMs ?? 5 * 60_000, 'hotspots');
    // The statistics rollups' first build (or one a crash or a stop interrupted), at start, then checked every 10 minutes.
    this.loop(() => this.rollupsOnce(), 10 * 60_000, 'stats-rollups');
    this.rollupQueueLoop();
  }

  /**
   * The statistics queue's loop alone: a process that runs no scheduler (XINFANG_JOBS=0) still
   * applies the new cases its submissions queued (part of the write path, not a job).
   */
  startRollupQueue(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.rollupQueueLoop();
  }

  private rollupQueueLoop(): void {
    this.loop(() => this.rollupQueueOnce(), this.opts.rollupFlushEveryMs ?? 2_000, 'stats-queue');
  }

  private loop(fn: () => Promise<unknown>, everyMs: number, name: string, firstAfterMs = 0): void {
    const run = () => {
      if (this.stopped) return;
      const p = fn()
        .then((r) => {
          if (r && this.opts.log) this.opts.log(`${name}: ${JSON.stringify(r)}`);
        })
        .catch((err: unknown) => console.error(`后台任务 ${name} 出错：${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.running.delete(p);
          if (!this.stopped) this.timers.push(setTimeout(run, everyMs));
        });
      this.running.add(p);
    };
    this.timers.push(setTimeout(run, firstAfterMs));
  }

  /** Stops the loops and waits for the work in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await Promise.allSettled([...this.running]);
  }
}

/** Transports from the environment: XINFANG_SMTP_URL, XINFANG_SMS_URL; unset = development sink. */
export function transportsFromEnv(env: NodeJS.ProcessEnv = process.env): { transports: Transports; close(): void } {
  const mail = env.XINFANG_SMTP_URL ? smtpSender(env.XINFANG_SMTP_URL, mailFrom(env)) : undefined;
  return {
    transports: {
      email: mail ? (to, msg) => mail.send(to, msg) : undefined,
      sms: env.XINFANG_SMS_URL ? httpSmsGateway(env.XINFANG_SMS_URL) : undefined,
    },
    close: () => mail?.close(),
  };
}
