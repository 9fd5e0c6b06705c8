/**
 * Background work of a process: the scheduler (unless XINFANG_JOBS=0) and the e-mail listener (when
 * XINFANG_SMTP_IN_PORT is set). Without the scheduler a process still applies the new cases its
 * submissions queued for the statistics rollups (part of the write path, not a job).
 */
import type { AppContext } from '../services/context.js';
import { Scheduler, transportsFromEnv } from './scheduler.js';
import { inboundOptionsFromEnv, startMailListener } from '../mail/inbound.js';
import { listOutbox, readSink } from '../services/notify.service.js';

export interface Background {
  stop(): Promise<void>;
}

/** Starts what the environment asks for; `force` runs the scheduler even with XINFANG_JOBS=0 (the `jobs` command). */
export async function startBackground(ctx: AppContext, env: NodeJS.ProcessEnv = process.env, force = false): Promise<Background> {
  const stops: (() => Promise<void>)[] = [];
  if (force || env.XINFANG_JOBS !== '0') {
    const t = transportsFromEnv(env);
    const s = new Scheduler(ctx, {
      transports: t.transports,
      sweepEveryMs: Number(env.XINFANG_SWEEP_EVERY_S ?? 300) * 1000,
      log: env.XINFANG_JOBS_VERBOSE === '1' ? (l) => console.log(l) : undefined,
    });
    s.start();
    console.log(`后台任务已启动（期限巡查、通知发送）：${s.owner}`);
    stops.push(async () => {
      await s.stop();
      t.close();
    });
  } else {
    const s = new Scheduler(ctx, { transports: {} });
    s.startRollupQueue();
    stops.push(() => s.stop());
  }
  if (env.XINFANG_SMTP_IN_PORT) {
    const opts = inboundOptionsFromEnv(env);
    const l = await startMailListener(ctx, Number(env.XINFANG_SMTP_IN_PORT), env.XINFANG_SMTP_IN_HOST ?? ctx.config.host, opts);
    console.log(`电子邮件受理已启动：端口 ${l.port}，收件域 ${opts.domain}`);
    stops.push(l.close);
  }
  return { stop: async () => void (await Promise.all(stops.map((f) => f()))) };
}

/** `xinfang outbox list|failed|sink`: what the queue holds (no content), or the development sink. */
export async function printOutbox(ctx: AppContext, what: string | undefined): Promise<void> {
  if (what === 'sink') {
    for (const m of (await readSink(ctx, 50)).reverse()) console.log(`#${m.outboxId} ${m.at} ${m.channel} → ${m.to}\n  ${m.text}`);
    return;
  }
  const status = what === 'failed' ? 'failed' : what === 'pending' ? 'pending' : undefined;
  for (const m of (await listOutbox(ctx, status, 100)).reverse()) {
    console.log(`#${m.id} ${m.created_at} ${m.channel} ${m.template} ${m.status} 尝试 ${m.attempts} 次${m.last_error ? `，最后错误：${m.last_error}` : ''}`);
  }
}
