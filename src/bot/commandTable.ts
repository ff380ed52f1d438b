import type { Deps } from '../deps.js';
import type { Report } from '../db/reportsRepo.js';
import type { IncomingMessage } from './types.js';
import type { Person } from './people.js';
import type { Answer } from './reply.js';

export interface CommandContext {
  deps: Deps;
  msg: IncomingMessage;
  report: Report;
  person: Person;
  /** Arguments, split on spaces, with @mentions removed (they are in msg.mentions). */
  args: string[];
  date: string;
  now: number;
}

/** A command answers with a reply (or null when it replied itself). */
export type CommandRun = (c: CommandContext) => Promise<Answer | null>;

export type CommandName =
  | 'help'
  | 'progress'
  | 'mine'
  | 'targets'
  | 'history'
  | 'undo'
  | 'fix'
  | 'bind'
  | 'unbind'
  | 'contacts'
  | 'admin'
  | 'subscribe'
  | 'unsubscribe'
  | 'leave'
  | 'settings'
  | 'phrases'
  | 'forget'
  | 'board'
  | 'export';

/** Chinese first, English aliases; matched case-insensitively after a leading / (or ／). */
export const COMMAND_WORDS: Record<CommandName, string[]> = {
  help: ['帮助', 'help', '?', '？'],
  progress: ['进度', 'progress'],
  mine: ['我的', 'mine'],
  targets: ['目标', 'targets'],
  history: ['历史', 'history'],
  undo: ['撤销', 'undo'],
  fix: ['修改', '更正', 'fix'],
  bind: ['绑定', 'bind'],
  unbind: ['解绑', 'unbind'],
  contacts: ['联系人', 'contacts'],
  admin: ['管理员', 'admin'],
  subscribe: ['订阅', 'subscribe'],
  unsubscribe: ['退订', 'unsubscribe'],
  leave: ['请假', 'leave'],
  settings: ['设置', 'settings'],
  phrases: ['说法', 'phrases'],
  forget: ['忘记', 'forget'],
  board: ['看板', '驾驶舱', 'board'],
  export: ['导出', 'export'],
};

const byWord = new Map<string, CommandName>();
for (const [name, words] of Object.entries(COMMAND_WORDS) as Array<[CommandName, string[]]>)
  for (const w of words) byWord.set(w.toLowerCase(), name);

// Without a slash, only words nobody starts a progress report with count as commands:
// 「绑定 渝中区」「撤销」「帮助」 and 「修改 1-1 1530」; a report may well begin with 进度 or 目标.
const BARE = /^(绑定|解绑|撤销|帮助|help)(?=$|\s|[\u4e00-\u9fff])|^(修改)(?=\s*\d+-\d+)/i;

export type ParsedCommand = { name: CommandName; args: string[] } | { unknown: string } | null;

function split(rest: string): string[] {
  return rest
    .replace(/@\S+/g, ' ')
    .trim()
    .split(/[\s,，、]+/)
    .filter(Boolean);
}

/** A command in a message's text, an unknown /word, or null for anything else (a report). */
export function parseCommandText(text: string): ParsedCommand {
  const t = text.trim();
  if (/^[/／]/.test(t)) {
    const body = t.slice(1);
    const word = /^[^\s@]+/.exec(body)?.[0] ?? '';
    const direct = byWord.get(word.toLowerCase());
    if (direct) return { name: direct, args: split(body.slice(word.length)) };
    // 「/绑定渝中区」: a Chinese command word glued to its argument.
    for (const [w, name] of byWord)
      if (/[\u4e00-\u9fff]/.test(w) && body.startsWith(w)) return { name, args: split(body.slice(w.length)) };
    return { unknown: word || '/' };
  }
  const bare = BARE.exec(t);
  if (bare) {
    const w = (bare[1] ?? bare[2])!;
    return { name: byWord.get(w.toLowerCase())!, args: split(t.slice(w.length)) };
  }
  return null;
}
