// Outbox uuids for scheduled messages: derived from what causes the message (job, period,
// recipient), so a re-run, a retry or a second scheduler enqueues the same uuid and the outbox
// (unique uuid) records it once; Lark also dedups a uuid for an hour. Lark allows ≤ 50 chars, so
// the cause is hashed (FNV-1a, two 32-bit lanes): `ms-<job>-<16 hex>`.

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function jobUuid(job: string, ...cause: Array<string | number>): string {
  const key = [job, ...cause].join('\u0001');
  const hex =
    fnv1a(key, 0x811c9dc5).toString(16).padStart(8, '0') + fnv1a(key, 0x050c5d1f).toString(16).padStart(8, '0');
  return `ms-${job.slice(0, 24)}-${hex}`;
}
