/**
 * 督导检查 sample: a random sample of a unit's cases, weighted towards the cases most likely to
 * show a problem — overdue, rated dissatisfied, returned, or with a disputed signature. Pure and
 * deterministic under a seed, so an inspection can say how its sample was drawn.
 */

import { seededRandom } from './seeded-random.js';

export const sampleReasons = ['overdue', 'dissatisfied', 'returned', 'disputed'] as const;
export type SampleReason = (typeof sampleReasons)[number];

export const sampleReasonLabels: Record<SampleReason, string> = {
  overdue: '超期办理',
  dissatisfied: '信访人不满意',
  returned: '曾被退回',
  disputed: '信访人报告“这不是我签的”',
};

export interface SampleCandidate {
  id: string;
  reasons: SampleReason[];
}

/** Extra weight per reason: a case with one reason is four times as likely to be drawn as a plain one. */
export const reasonWeight = 3;

/** Weight of a candidate in the draw. */
export function sampleWeight(reasons: readonly SampleReason[]): number {
  return 1 + reasonWeight * reasons.length;
}

/** A 32-bit seed from any string (FNV-1a). */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Draws `size` candidates without replacement, each with probability proportional to its weight
 * (Efraimidis–Spirakis keys u^(1/w)); the same candidates and seed give the same sample.
 */
export function drawSample<T extends SampleCandidate>(candidates: readonly T[], size: number, seed: string): T[] {
  const rand = seededRandom(seedOf(seed));
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const keyed = sorted.map((c) => {
    const u = rand() || Number.MIN_VALUE;
    return { c, key: Math.log(u) / sampleWeight(c.reasons) };
  });
  keyed.sort((a, b) => b.key - a.key || (a.c.id < b.c.id ? -1 : 1));
  return keyed.slice(0, Math.max(0, size)).map((k) => k.c);
}
