// Small builders for Lark card JSON 2.0 (see shared/lark-platform-notes.md). Every card the bot
// sends is assembled from these, so the shapes the schema test checks live in one place.

export type Card = Record<string, unknown> & { schema: '2.0'; body: { elements: unknown[] } };
export type Element = Record<string, unknown>;
export type Template = 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'grey' | 'wathet' | 'turquoise' | 'indigo';

export function card(opts: { title: string; template?: Template; summary?: string; elements: Element[] }): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: (opts.summary ?? opts.title).slice(0, 100) } },
    header: { title: { tag: 'plain_text', content: opts.title }, template: opts.template ?? 'blue' },
    body: { elements: opts.elements.length ? opts.elements : [md('（无内容）')] },
  };
}

export function md(content: string): Element {
  return { tag: 'markdown', content: content.trim() === '' ? ' ' : content };
}

export function hr(): Element {
  return { tag: 'hr' };
}

export type ButtonStyle = 'default' | 'primary' | 'danger';

export function button(text: string, value: Record<string, unknown>, type: ButtonStyle = 'default'): Element {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: text },
    type,
    size: 'small',
    behaviors: [{ type: 'callback', value }],
  };
}

/** Buttons side by side (a column set in flow mode wraps on narrow screens). */
export function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** Text inside markdown that must not be read as markup. */
export function esc(s: string): string {
  return s.replace(/</g, '＜').replace(/>/g, '＞').replace(/\*/g, '＊').replace(/`/g, '｀');
}

export function colored(text: string, color: 'green' | 'red' | 'orange' | 'grey' | 'blue'): string {
  return `<font color='${color}'>${text}</font>`;
}
