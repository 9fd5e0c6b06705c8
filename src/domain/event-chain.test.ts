import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, genesisHash, verifyChain, type ChainedEvent } from './event-chain.js';

type Linked = ChainedEvent & { prevHash: string; hash: string };

/** Builds a correctly linked chain of n events for one case. */
function chain(n: number, caseId = 'c0ffee00-0000-4000-8000-000000000001'): { events: Linked[]; head: string } {
  const events: Linked[] = [];
  let prev = genesisHash;
  const types = ['submitted', 'accepted', 'assigned', 'signed', 'replied', 'evaluated', 'closed'];
  for (let i = 1; i <= n; i++) {
    const e: ChainedEvent = {
      caseId,
      seq: i,
      type: types[(i - 1) % types.length]!,
      actorKind: i === 1 ? 'citizen' : 'staff',
      actorId: `actor-${i}`,
      actorUnitId: i === 1 ? null : '130123-xfj',
      at: new Date(Date.UTC(2026, 2, 2, 2, i)).toISOString(),
      visibility: 'public',
      payload: canonicalJson({ n: i, text: `第 ${i} 步` }),
    };
    const hash = eventHash(prev, e);
    events.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return { events, head: prev };
}

const clone = (events: Linked[]) => events.map((e) => ({ ...e }));

describe('canonicalJson', () => {
  it('sorts object keys at every depth, whatever the insertion order', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: '信访' } };
    const b = { a: { c: '信访', d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"信访","d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order and drops undefined members, keeping null', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(null)).toBe('null');
  });
});

describe('eventHash', () => {
  it('is sha256 over the previous hash and the canonical event, and changes with any field', () => {
    const { events } = chain(1);
    const e = events[0]!;
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    const body = canonicalJson([e.caseId, e.seq, e.type, e.actorKind, e.actorId, e.actorUnitId, e.at, e.visibility, e.payload]);
    expect(e.hash).toBe(crypto.createHash('sha256').update(genesisHash).update('\n').update(body).digest('hex'));
    for (const field of ['caseId', 'type', 'actorKind', 'actorId', 'actorUnitId', 'at', 'visibility', 'payload'] as const) {
      expect(eventHash(genesisHash, { ...e, [field]: `${String(e[field])}x` }), field).not.toBe(e.hash);
    }
    expect(eventHash(genesisHash, { ...e, seq: 2 })).not.toBe(e.hash);
    expect(eventHash('1'.repeat(64), e)).not.toBe(e.hash);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain with its head, and an empty chain at genesis', () => {
    const { events, head } = chain(6);
    expect(verifyChain(events, head)).toBeNull();
    expect(verifyChain(events)).toBeNull();
    expect(verifyChain([], genesisHash)).toBeNull();
  });

  it('detects a modified payload at the modified event', () => {
    const { events, head } = chain(6);
    const t = clone(events);
    t[2]!.payload = canonicalJson({ n: 3, text: '篡改后的内容' });
    expect(verifyChain(t, head)).toEqual({ seq: 3, reason: '事件内容与哈希不符（事件被改写）' });
  });

  it('detects a modified event whose own hash was recomputed, at the next link', () => {
    const { events, head } = chain(6);
    const t = clone(events);
    t[2]!.payload = canonicalJson({ n: 3, text: '篡改后的内容' });
    t[2]!.hash = eventHash(t[2]!.prevHash, t[2]!);
    expect(verifyChain(t, head)).toEqual({ seq: 4, reason: '前一哈希不符（事件被删除、插入或重排）' });
  });

  it('detects a deleted middle event', () => {
    const { events, head } = chain(6);
    const t = clone(events).filter((e) => e.seq !== 3);
    expect(verifyChain(t, head)).toEqual({ seq: 4, reason: '序号不连续：应为 3' });
  });

  it('detects a deleted middle event even when later events are renumbered', () => {
    const { events, head } = chain(6);
    const t = clone(events)
      .filter((e) => e.seq !== 3)
      .map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(t, head)).toMatchObject({ seq: 3 });
  });

  it('detects two swapped events', () => {
    const { events, head } = chain(6);
    const t = clone(events);
    const [a, b] = [t[1]!, t[2]!];
    t[1] = { ...b, seq: 2 };
    t[2] = { ...a, seq: 3 };
    expect(verifyChain(t, head)).toEqual({ seq: 2, reason: '前一哈希不符（事件被删除、插入或重排）' });
  });

  it('detects a truncated tail through the head hash', () => {
    const { events, head } = chain(6);
    const t = clone(events).slice(0, 5);
    expect(verifyChain(t)).toBeNull(); // without the head the shorter chain looks whole …
    expect(verifyChain(t, head)).toEqual({ seq: 6, reason: '案件头哈希与最后一个事件不符（尾部事件被删除）' }); // … the head says otherwise
  });

  it('detects an event moved to another case', () => {
    const one = chain(3, 'c0ffee00-0000-4000-8000-000000000001');
    const two = chain(3, 'c0ffee00-0000-4000-8000-000000000002');
    const t = clone(one.events);
    t[1] = { ...two.events[1]!, prevHash: t[0]!.hash };
    expect(verifyChain(t, one.head)).toMatchObject({ seq: 2 });
  });
});
