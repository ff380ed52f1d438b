import { mondayOf } from '../workdays/calendar.js';
import { localDate, zonedInstant } from '../workdays/zoned.js';
import { escalationOccurrences, weeklyRunDay } from '../jobs/occurrences.js';
import { planDeadlineNotices, planEscalations, planLagAlerts, planReminders, type Planned } from '../jobs/plans.js';
import { loadSchedulerSettings } from '../jobs/settings.js';
import { openCliDeps, parseArgs } from './cliDeps.js';

const USAGE = 'usage: npm run cli -- remind [--date YYYY-MM-DD] --dry-run [--text]\n';

/**
 * Who would get what on a date: the report-due reminders (as at the reminder time, whatever the
 * weekday), the escalation round that day if any, deadline notices and lag alerts. Only --dry-run
 * exists: sending is the scheduler's job, once per period.
 */
export async function remindCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (!flags['dry-run']) { process.stderr.write(`${USAGE}(only --dry-run: the scheduler sends, once per period)\n`); return 2; }
  if (flags.date !== undefined && (typeof flags.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(flags.date))) { process.stderr.write(USAGE); return 2; }
  const { deps, close } = await openCliDeps();
  try {
    const tz = deps.config.BOT_TIMEZONE;
    const date = typeof flags.date === 'string' ? flags.date : localDate(deps.clock.now(), tz);
    const s = await loadSchedulerSettings(deps.db, deps.log);
    const week = mondayOf(date);
    const sections: Array<[string, Planned[]]> = [];
    const remindAt = zonedInstant(date, s.remind.minutes, tz);
    sections.push([`报送提醒（本周 ${week} 起，按 ${date} 提醒时间；本周计划于 ${weeklyRunDay(week, s.remind) ?? '无工作日'} 发送）`, await planReminders(deps, { date, week, now: remindAt, settings: s })]);
    const escAt = zonedInstant(date, s.escalate.minutes, tz);
    for (const occ of escalationOccurrences(escAt, s.escalate, s.escalationCap, tz)) {
      sections.push([`群内催报（${occ.week} 周，第 ${occ.round} 次）`, await planEscalations(deps, { date, week: occ.week!, round: occ.round!, now: escAt, settings: s })]);
    }
    sections.push(['截止提醒', await planDeadlineNotices(deps, { date, settings: s })]);
    sections.push(['严重滞后提醒', (await planLagAlerts(deps, { date, settings: s })).planned]);
    for (const [title, list] of sections) {
      process.stdout.write(`== ${title}: ${list.length} 条\n`);
      for (const p of list) {
        process.stdout.write(`  → ${p.to.type === 'chat_id' ? '群' : '私聊'} ${p.to.id}${p.to.name ? `（${p.to.name}）` : ''}: ${p.summary}\n`);
        if (flags.text && p.message.msgType === 'text') process.stdout.write(`${(JSON.parse(p.message.content) as { text: string }).text.replace(/^/gm, '      ')}\n`);
      }
    }
    return 0;
  } finally {
    await close();
  }
}
