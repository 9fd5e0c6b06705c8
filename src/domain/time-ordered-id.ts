/**
 * Time-ordered identifiers (UUID version 7, RFC 9562 §5.7): 48 bits of Unix time in milliseconds,
 * then 74 random bits, in the usual 8-4-4-4-12 hex form. A case's id is the key of case_file and
 * leads the keys of its events, links, tracking row, notifications and statistics queue. Random
 * (version 4) ids put each new case on its own page of every one of those indexes, so each
 * submission dirtied some eight pages that a batch of others did not share; ids that grow with time
 * land side by side, and the submissions of a group commit write those pages once.
 *
 * The time in the id is the moment the record was made, which its own timestamps show anyway;
 * the 74 random bits keep ids unguessable, and access to any record is checked on every request.
 */
export function uuidV7(nowMs: number, random: Uint8Array): string {
  if (random.length < 10) throw new Error('uuidV7 needs 10 random bytes');
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) throw new Error(`uuidV7: time out of range: ${nowMs}`);
  const b = new Uint8Array(16);
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b.set(random.subarray(0, 10), 6);
  b[6] = 0x70 | (b[6]! & 0x0f); // version 7
  b[8] = 0x80 | (b[8]! & 0x3f); // variant 10
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
