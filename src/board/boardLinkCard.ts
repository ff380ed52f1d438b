import { card, md, type Card } from '../cards/kit.js';

// The answer to /看板 (and to the digest card's button): the asker's own link, its expiry, and a
// button that opens it in the browser (inside Lark on a phone).

export function boardLinkCard(opts: { url: string; days: number; expires: string }): Card {
  return card({
    title: '民生实事进度看板',
    template: 'blue',
    summary: '你的进度看板链接',
    elements: [
      md(
        `这是你的专属看板链接，**${opts.days} 天内有效**（至 ${opts.expires}）。\n链接与你的账号绑定，请勿转发；过期后再发送「/看板」获取新链接。`,
      ),
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '打开进度看板' },
        type: 'primary',
        size: 'medium',
        behaviors: [{ type: 'open_url', default_url: opts.url }],
      },
      md(`如按钮无法打开，请复制链接到浏览器：\n${opts.url}`),
    ],
  });
}
