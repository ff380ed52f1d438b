/**
 * True when a parsed JSON value nests objects/arrays deeper than `max`. A signed body 5,000 levels
 * deep parses fine (JSON.parse does not recurse) but overflowed the stack in the code that walks
 * it afterwards (validation, JSON.stringify for the inbox), which answered 500. Lark's events nest
 * about 6 levels; a card form perhaps 10. The walk stops at `max + 1` levels, so it never recurses
 * further than that, and visits each value once: an event's few dozen, where scanning the text
 * character by character cost more than decrypting it.
 */
export function jsonTooDeep(value: unknown, max: number): boolean {
  return deeper(value, max, 0);
}

function deeper(v: unknown, max: number, depth: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth + 1 > max) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (deeper(x, max, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (deeper((v as Record<string, unknown>)[k], max, depth + 1)) return true;
  return false;
}
