/**
 * True when `text` nests objects/arrays deeper than `max`. A linear scan before JSON.parse: a
 * signed body 5,000 levels deep parsed fine but overflowed the stack in the code that walks it
 * afterwards (validation, JSON.stringify for the inbox), which answered 500. Lark's events nest
 * about 6 levels; a card form perhaps 10.
 */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}
