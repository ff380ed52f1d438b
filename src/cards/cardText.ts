// Cards as plain text, for the CLI console and logs: the title, the markdown without markup, and
// buttons as [按钮]. Not a faithful rendering; readable is the point.

function plain(markdown: string): string {
  return markdown
    .replace(/<font[^>]*>/g, '')
    .replace(/<\/font>/g, '')
    .replace(/\*\*/g, '')
    .replace(/~~/g, '')
    .replace(/<at[^>]*>([^<]*)<\/at>/g, '@$1');
}

function walk(elements: unknown[], out: string[], buttons: string[]): void {
  for (const raw of elements) {
    const e = raw as Record<string, unknown>;
    switch (e.tag) {
      case 'markdown':
        flush(out, buttons);
        out.push(plain(String(e.content)));
        break;
      case 'div':
        flush(out, buttons);
        out.push(plain(String((e.text as { content?: string } | undefined)?.content ?? '')));
        break;
      case 'hr':
        flush(out, buttons);
        out.push('────────');
        break;
      case 'button':
        buttons.push(`[${(e.text as { content: string }).content}]`);
        break;
      case 'column_set':
        for (const c of (e.columns as Array<{ elements: unknown[] }>) ?? []) walk(c.elements, out, buttons);
        break;
      case 'table': {
        flush(out, buttons);
        const cols = (e.columns as Array<{ name: string; display_name: string }>) ?? [];
        out.push(cols.map((c) => c.display_name).join(' | '));
        for (const r of (e.rows as Array<Record<string, unknown>>) ?? [])
          out.push(cols.map((c) => String(r[c.name] ?? '')).join(' | '));
        break;
      }
      default:
        break;
    }
  }
}

function flush(out: string[], buttons: string[]): void {
  if (buttons.length) {
    out.push(buttons.join(' '));
    buttons.length = 0;
  }
}

export function cardToText(card: unknown): string {
  const c = card as { header?: { title?: { content?: string } }; body?: { elements?: unknown[] } };
  const out: string[] = [];
  const title = c.header?.title?.content;
  if (title) out.push(`【${title}】`);
  const buttons: string[] = [];
  walk(c.body?.elements ?? [], out, buttons);
  flush(out, buttons);
  return out.join('\n');
}

/** An outbox row's content (text or card JSON) as readable text. */
export function messageToText(msgType: string, content: string): string {
  try {
    const parsed = JSON.parse(content) as Record<string, unknown>;
    if (msgType === 'text') return String(parsed.text ?? '');
    if (msgType === 'interactive') return cardToText(parsed);
    return content;
  } catch {
    return content;
  }
}
