import type { CommandRun } from '../bot/commandTable.js';
import { uuidFor } from '../bot/reply.js';
import { enqueue } from '../outbox/enqueue.js';
import { scanDates } from '../parser/dates.js';
import { buildCsv } from './buildCsv.js';
import { exportData } from './exportData.js';

// /导出 [日期] [csv]: the 通报 workbook sent to the asker as a Lark file message. The file is
// uploaded first (im/v1/files), then the message naming its file_key goes through the outbox like
// every other message (its uuid derived from the command's message, so it is sent once). In a
// group the file goes to the asker privately.

const USAGE = '用法：/导出（今天的通报）、/导出 2024-10-28、/导出 csv。';

export const exportChat: CommandRun = async (c) => {
  const { deps } = c;
  if (!c.person.isAdmin && !c.person.org) return '导出只对已绑定的联系人和管理员开放。发送「/绑定 单位名称」申请绑定。';
  const csv = c.args.some((a) => /^csv$/i.test(a));
  const rest = c.args.filter((a) => !/^(csv|xlsx|excel)$/i.test(a)).join(' ');
  let date = c.date;
  if (rest) {
    const found = /^(\d{4}-\d{2}-\d{2})$/.exec(rest)?.[1] ?? scanDates(rest, c.date)[0]?.asOf;
    if (!found) return USAGE;
    if (found > c.date) return `日期 ${found} 还没到。${USAGE}`;
    if (found < deps.catalog.start) return `日期 ${found} 早于本年度目录的开始（${deps.catalog.start}）。`;
    date = found;
  }
  const lark = deps.lark;
  if (!lark?.uploadFile) {
    return `本地模式（未配置飞书应用凭据）无法发送文件。请在服务器上运行：npm run cli -- export --date ${date} --format ${csv ? 'csv' : 'xlsx'} --out 通报-${date}.${csv ? 'csv' : 'xlsx'}`;
  }
  const data = await exportData(deps, date);
  const title = `${deps.catalog.year}年重点民生实事进展通报（截至${date}）`;
  // exceljs is loaded only when a workbook is made (it is most of the export's weight).
  const bytes = csv
    ? new TextEncoder().encode(buildCsv(data.tables[0]))
    : await (await import('./buildWorkbook.js')).buildWorkbook(data, { title });
  const name = `民生实事通报-${date}.${csv ? 'csv' : 'xlsx'}`;
  const fileKey = await lark.uploadFile({ name, type: csv ? 'stream' : 'xls', bytes });
  const content = JSON.stringify({ file_key: fileKey });
  const uuid = await uuidFor('f-', c.msg.messageId);
  const summary = `截至 ${date}：${data.tables[0].rows.length} 项指标，${data.tables[2].rows.length} 条报送明细。`;
  if (c.msg.chatType === 'group') {
    await enqueue(
      deps,
      { kind: 'send', receiveIdType: 'open_id', receiveId: c.person.openId, msgType: 'file', content },
      uuid,
    );
    return `通报已私信发给你（${summary}）`;
  }
  await enqueue(deps, { kind: 'reply', messageId: c.msg.messageId, msgType: 'file', content }, uuid);
  return `通报文件 ${name}：${summary}${csv ? '' : '工作表：通报、区县、明细。'}`;
};
