// Character classes the scanners share (ASCII only: full-width forms are folded before scanning).

/** An ASCII digit 0–9. */
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** An ASCII letter. */
export const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
