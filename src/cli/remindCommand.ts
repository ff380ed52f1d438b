import { dryRun } from '../jobs/dryRun.js';
import { weeklyRunDay } from '../duties/occurrences.js';
import { loadSchedulerSettings } from '../settings/settings.js';
import { syncDeadlines } from '../duties/deadlines.js';
import { mondayOf } from '../workdays/calendar.js';
import { hhmm, localDate, localTime } from '../workdays/zoned.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE = 'usage: npm run cli -- remind [--date YYYY-MM-DD] --dry-run [--text]\n';

const TITLE: Record<string, string> = {
  'weekly-digest': '周报',
  'report-reminder': '报送提醒',
  escalation: '群内催报',
  'deadline-notice': '截止提醒',
  'lag-alert': '严重滞后提醒',
};

/**
 * Exactly what the scheduler would send on a date, from the database as it is (src/jobs/dryRun.ts):
 * the digest, report-due reminders, escalation rounds, deadline notices and lag alerts due that
 * day, nothing on a day a job does not run. Only --dry-run exists: sending is the scheduler's job.
 */
export async function remindCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (!flags['dry-run']) {
    process.stderr.write(`${USAGE}(only --dry-run: the scheduler sends, once per period)\n`);
    return 2;
  }
  if (flags.date !== undefined && (typeof flags.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(flags.date))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const tz = deps.config.BOT_TIMEZONE;
    await syncDeadlines(deps);
    const date = typeof flags.date === 'string' ? flags.date : localDate(deps.clock.now(), tz);
    const s = await loadSchedulerSettings(deps.db, deps.log);
    const sections = await dryRun(deps, date);
    process.stdout.write(`${date} 调度将发送（按数据库当前状态）：\n`);
    if (sections.length === 0) process.stdout.write('  这一天没有到期的任务（非工作日，或各任务不在这天）。\n');
    for (const sec of sections) {
      const at = hhmm(localTime(sec.dueAt, tz).minutes);
      const head = `== ${at} ${TITLE[sec.job] ?? sec.job}（${sec.periodKey}）`;
      if (sec.alreadyRun) {
        process.stdout.write(`${head}: 已运行，不再发送\n`);
        continue;
      }
      process.stdout.write(`${head}: ${sec.planned.length} 条\n`);
      for (const p of sec.planned) {
        process.stdout.write(
          `  → ${p.to.type === 'chat_id' ? '群' : '私聊'} ${p.to.id}${p.to.name ? `（${p.to.name}）` : ''}: ${p.summary}\n`,
        );
        if (flags.text && p.message.msgType === 'text')
          process.stdout.write(
            `${(JSON.parse(p.message.content) as { text: string }).text.replace(/^/gm, '      ')}\n`,
          );
      }
    }
    if (!sections.some((x) => x.job === 'report-reminder')) {
      const day = weeklyRunDay(mondayOf(date), s.remind);
      process.stdout.write(`（本周报送提醒：${day ?? '本周无工作日可发，不提醒，也不计未报送'}）\n`);
    }
    return 0;
  } finally {
    await close();
  }
}
