import { helpCard } from '../cards/helpCard.js';
import type { Deps } from '../deps.js';
import { rememberChat } from '../db/chatsRepo.js';
import { insertReport, setReportStatus } from '../db/reportsRepo.js';
import { parseCommandText, type CommandName, type CommandRun } from './commandTable.js';
import { admin, bind, contacts, unbind } from './commands/bindCommands.js';
import { leave, settings, subscribe, unsubscribe } from './commands/chatCommands.js';
import { fix, undo } from './commands/reportCommands.js';
import { forget, phrases } from './commands/learnedCommands.js';
import { help, history, mine, progress, targets } from './commands/viewCommands.js';
import { answerAgainIfUnanswered } from './answerAgain.js';
import { board } from '../board/boardChatCommand.js';
import { exportChat } from '../export/exportChatCommand.js';
import { handleReport } from './handleReport.js';
import { examplesFor } from './hints.js';
import { dayIn, personOf } from './people.js';
import { replyTo } from './reply.js';
import type { IncomingMessage } from './types.js';
import { errorMessage } from '../errors.js';

const RUN: Record<CommandName, CommandRun> = {
  help,
  progress,
  mine,
  targets,
  history,
  undo,
  fix,
  bind,
  unbind,
  contacts,
  admin,
  subscribe,
  unsubscribe,
  leave,
  settings,
  phrases,
  forget,
  board,
  export: exportChat,
};

/**
 * Entry for every chat message. The message becomes a report row first (unique on message_id: a
 * message is one report however often it arrives), whatever it turns out to be; a row already
 * past 'received' was handled before and is left alone. Replies derive their uuid from the message.
 */
export async function handleMessage(deps: Deps, msg: IncomingMessage): Promise<void> {
  const now = deps.clock.now().getTime();
  const person = await personOf(deps, msg.senderOpenId);
  const { report, isNew } = await insertReport(deps.db, {
    messageId: msg.messageId,
    eventId: msg.eventId,
    senderOpenId: msg.senderOpenId,
    org: person.org ?? null,
    chatId: msg.chatId,
    chatType: msg.chatType,
    text: msg.text,
    now,
  });
  if (!isNew && report.status !== 'received') {
    deps.log.info('message_already_handled', { messageId: msg.messageId, status: report.status });
    await answerAgainIfUnanswered(deps, msg, report);
    return;
  }
  if (msg.chatType === 'group') await rememberChat(deps.db, msg.chatId, null, now);
  const date = dayIn(msg.createTime || now, deps.config.BOT_TIMEZONE);

  if (msg.messageType !== 'text' && msg.messageType !== 'post') {
    if (await setReportStatus(deps.db, report.id, ['received'], 'not_text', now, { detail: msg.messageType })) {
      await replyTo(
        deps,
        msg.messageId,
        '请用文字发送进展（图片、文件、语音等暂时看不懂）。例如「本周新增改造老旧小区15个」，发送「/帮助」查看用法。',
      );
    }
    return;
  }

  const cmd = parseCommandText(msg.text);
  if (cmd === null) {
    await handleReport(deps, msg, report, person, date);
    return;
  }
  const name = 'name' in cmd ? cmd.name : 'unknown';
  let answer: Awaited<ReturnType<CommandRun>>;
  try {
    answer =
      'unknown' in cmd
        ? helpCard({ unknown: cmd.unknown, examples: examplesFor(deps.catalog, person.org, date) })
        : await RUN[cmd.name]({ deps, msg, report, person, args: cmd.args, date, now });
  } catch (err) {
    await setReportStatus(deps.db, report.id, ['received'], 'failed', now, {
      detail: `${name}: ${errorMessage(err)}`.slice(0, 500),
    });
    deps.log.error('command_failed', { command: name, messageId: msg.messageId, error: errorMessage(err) });
    await replyTo(deps, msg.messageId, '处理这条命令时出错了，请稍后再试；问题已记录。');
    return;
  }
  // /修改 moves its own report on ('corrected'); every other command just marks it.
  await setReportStatus(deps.db, report.id, ['received'], 'command', now, { detail: name });
  if (answer !== null) await replyTo(deps, msg.messageId, answer);
}
