// Fullwidth forms → ASCII, one UTF-16 unit for one, so offsets into the normalised text are offsets
// into the original (spans stay valid). The Chinese comma ， (U+FF0C) and other clause punctuation
// are left alone on purpose: a ， is never a thousands separator.

const KEEP = new Set([0xff0c, 0xff1b, 0xff1a, 0xff08, 0xff09, 0xff01, 0xff1f]);

const NEEDS = /[\uff01-\uff5e\u3000A-Z]/;

export function normalize(text: string): string {
  if (!NEEDS.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e && !KEEP.has(c)) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out;
}
