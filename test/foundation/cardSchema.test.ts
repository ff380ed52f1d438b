import { describe, expect, it } from 'vitest';
import { assertValidCard } from '../helpers/cardSchema.js';

const ok = {
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: '已记录' }, template: 'green' },
  body: { elements: [{ tag: 'markdown', content: 'x' }] },
};

describe('the card schema check itself', () => {
  it('accepts a valid card', () => expect(() => assertValidCard(ok)).not.toThrow());
  it('rejects a card 1.0', () =>
    expect(() => assertValidCard({ ...ok, schema: undefined, elements: [] })).toThrow(/invalid card/));
  it('rejects an unknown element', () =>
    expect(() => assertValidCard({ ...ok, body: { elements: [{ tag: 'blink' }] } })).toThrow(/invalid card/));
  it('rejects over 200 elements', () =>
    expect(() =>
      assertValidCard({ ...ok, body: { elements: Array.from({ length: 201 }, () => ({ tag: 'hr' })) } }),
    ).toThrow(/200/));
  it('rejects over 30 KB', () =>
    expect(() =>
      assertValidCard({ ...ok, body: { elements: [{ tag: 'markdown', content: 'x'.repeat(31_000) }] } }),
    ).toThrow(/30 KB/));
  it('rejects a button without a text', () =>
    expect(() =>
      assertValidCard({ ...ok, body: { elements: [{ tag: 'button', behaviors: [{ type: 'callback', value: {} }] }] } }),
    ).toThrow(/invalid card/));
});
