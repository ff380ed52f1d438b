import { eq } from 'drizzle-orm';
import type { Metric } from '../../catalog/Catalog.js';
import { setSubscription } from '../../db/chatsRepo.js';
import { bindContact, setLeave, setRole } from '../../db/contactsRepo.js';
import { reportItems, reports } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { addDays, isWorkday, mondayOf } from '../../workdays/calendar.js';
import { zonedInstant } from '../../workdays/zoned.js';
import { prng } from './prng.js';

// A realistic, deterministic year of reports for demos: several city units and districts, units
// that run ahead, on time, behind and far behind, weeks missed, late reports (补报), a metric never
// reported, level metrics, milestones, and one correction. Same input → same rows (seeded PRNG,
// deterministic message ids); running it twice adds nothing.

const CONTACTS: Array<[string, string, string, string?]> = [
  ['ou_demo_zj1', '市住房城乡建委', '张伟'],
  ['ou_demo_zj2', '市住房城乡建委', '李娜'],
  ['ou_demo_cg1', '市城市管理局', '王强'],
  ['ou_demo_cg2', '市城市管理局', '刘洋', 'leave'],
  ['ou_demo_ty', '市体育局', '陈静'],
  ['ou_demo_jt', '市交通运输委', '杨帆'],
  ['ou_demo_ga', '市公安局', '赵磊'],
  ['ou_demo_st', '市生态环境局', '黄敏'],
  ['ou_demo_ny', '市农业农村委', '周杰'],
  ['ou_demo_wj', '市卫生健康委', '吴芳'],
  ['ou_demo_jw', '市教委', '徐涛'],
  ['ou_demo_mz', '市民政局', '孙丽'],
  ['ou_demo_cl', '市残联', '马超'],
  ['ou_demo_fl', '市妇联', '朱琳'],
  ['ou_demo_yb', '渝北区', '胡斌'],
  ['ou_demo_yz', '渝中区', '郭婷'],
  ['ou_demo_jb', '江北区', '何勇'],
  ['ou_demo_wz', '万州区', '罗丹'],
];

/** How fast each metric goes, as a share of an even pace (1 = exactly on 序时进度). */
function paceOf(m: Metric): number {
  const special: Record<string, number> = {
    '1-1': 1.08,
    '1-2': 1.0,
    '2-4': 0.55,
    '3-3': 0.62,
    '6-1': 0.8,
    '6-2': 0.78,
    '7-1': 0.95,
    '8-1': 1.15,
    '12-4': 0.5,
    '13-1': 1.3,
    '13-2': 1.25,
    '14-1': 0.9,
    '15-1': 0.6,
  };
  return special[m.id] ?? 0.92 + (m.id.charCodeAt(m.id.length - 1) % 5) * 0.04;
}

/** Units that often miss a week, and the chance they do. */
const FLAKY: Record<string, number> = { 市体育局: 0.45, 市民政局: 0.3, 市生态环境局: 0.2 };
/** Never reported: stays 未报送. */
const SILENT = new Set(['9-1', '10-4']);
const DISTRICT_METRICS: Record<string, string[]> = {
  '3-1': ['渝北区', '渝中区', '江北区', '万州区'],
  '1-1': ['渝北区', '渝中区'],
};
/** Each district's share of the city figure and its own pace (渝北区 runs ahead, 渝中区 behind), so no two report alike. */
const DISTRICT_SHARE: Record<string, { share: number; pace: number }> = {
  渝北区: { share: 0.22, pace: 1.06 },
  渝中区: { share: 0.15, pace: 0.88 },
};

/**
 * A level metric (a rate, a share, a stock) does not start the year at zero: it moves from a
 * baseline towards the target, some reaching it, some not.
 */
function levelPath(m: Metric): { from: number; to: number } {
  const special: Record<string, { from: number; to: number }> = {
    '8-3': { from: 0.4, to: 0.86 },
    '11-4': { from: 0.9, to: 1 },
  };
  const c = m.id.charCodeAt(m.id.length - 1);
  return special[m.id] ?? { from: 0.7 + (c % 5) * 0.04, to: 0.9 + (c % 3) * 0.05 };
}

export interface DemoResult {
  reports: number;
  items: number;
  contacts: number;
  chats: number;
  skipped: boolean;
}

export async function seedDemo(deps: Deps, opts: { until: string }): Promise<DemoResult> {
  const { db, catalog } = deps;
  const tz = deps.config.BOT_TIMEZONE;
  const marker = (
    await db.select({ id: reports.id }).from(reports).where(eq(reports.messageId, 'demo-marker')).limit(1)
  )[0];
  if (marker) return { reports: 0, items: 0, contacts: 0, chats: 0, skipped: true };

  for (const [openId, org, name, leave] of CONTACTS) {
    await bindContact(db, { openId, org, name, now: 0 });
    if (leave) await setLeave(db, openId, addDays(opts.until, 14), 0);
  }
  await setRole(db, 'ou_demo_admin', 'admin', 0);
  await setSubscription(
    db,
    'oc_demo_leaders',
    catalog.projects.map((p) => p.no),
    0,
  );
  await setSubscription(db, 'oc_demo_urban', [1, 2, 3, 4, 5, 6], 0);
  await setSubscription(db, 'oc_demo_social', [10, 11, 12, 13, 14, 15], 0);

  const rnd = prng(2024);
  const reporterOf = (org: string) => CONTACTS.find((c) => c[1] === org)?.[0] ?? `ou_demo_${org}`;
  let nReports = 0,
    nItems = 0;
  const add = async (r: {
    id: string;
    metric: Metric;
    org: string;
    value: number | null;
    milestone?: string;
    mode: 'cumulative' | 'increment';
    scope: string;
    asOf: string;
    createdAt: number;
    text: string;
  }) => {
    const [rep] = await db
      .insert(reports)
      .values({
        messageId: r.id,
        senderOpenId: reporterOf(r.org),
        org: r.org,
        text: r.text,
        status: 'recorded',
        receivedAt: r.createdAt,
        updatedAt: r.createdAt,
      })
      .onConflictDoNothing()
      .returning({ id: reports.id });
    if (!rep) return undefined;
    nReports++;
    const [it] = await db
      .insert(reportItems)
      .values({
        reportId: rep.id,
        year: catalog.year,
        metricId: r.metric.id,
        value: r.value,
        milestone: r.milestone ?? null,
        mode: r.mode,
        scope: r.scope,
        asOf: r.asOf,
        reporterOpenId: reporterOf(r.org),
        org: r.org,
        createdAt: r.createdAt,
      })
      .returning({ id: reportItems.id });
    nItems++;
    return it!.id;
  };

  const yearDays =
    (Date.parse(`${catalog.deadline}T00:00:00Z`) - Date.parse(`${catalog.start}T00:00:00Z`)) / 86_400_000 + 1;
  const truth = (m: Metric, date: string, pace = paceOf(m)) => {
    const f =
      ((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${catalog.start}T00:00:00Z`)) / 86_400_000 + 1) / yearDays;
    if (m.kind === 'level') {
      const path = levelPath(m);
      return (m.target ?? 0) * (path.from + (path.to - path.from) * f);
    }
    return Math.min(m.target ?? 0, (m.target ?? 0) * f ** 1.05 * pace);
  };
  const precision = (m: Metric) => (m.kind === 'level' || (m.unit ?? '').startsWith('万') ? 100 : 1);
  const rounded = (m: Metric, v: number) => Math.round(v * precision(m)) / precision(m);

  const last = new Map<string, number>();
  for (
    let monday = mondayOf(addDays(catalog.start, 14));
    addDays(monday, 4) <= opts.until;
    monday = addDays(monday, 7)
  ) {
    const friday = addDays(monday, 4);
    const weekNo = Math.round((Date.parse(monday) - Date.parse(catalog.start)) / 604_800_000);
    for (const m of catalog.metrics) {
      if (SILENT.has(m.id)) continue;
      const org = m.lead[0]!;
      const skip = rnd() < (FLAKY[org] ?? 0.06);
      if (skip) continue;
      // Most report on Thursday or Friday; some a few days late, the following week (补报).
      const late = rnd() < 0.07;
      const reportDay = late ? addDays(friday, 4) : addDays(monday, 3 + Math.floor(rnd() * 2));
      if (reportDay > opts.until) continue;
      const day = isWorkday(reportDay) ? reportDay : addDays(reportDay, 1);
      const createdAt = zonedInstant(day, 9 * 60 + Math.floor(rnd() * 480), tz).getTime();
      const asOf = late ? friday : addDays(day, -1) < monday ? day : addDays(day, -1);
      const id = `demo-${m.id}-${monday}`;
      if (m.kind === 'milestone') {
        const status = weekNo < 6 ? 'not_started' : weekNo < 24 ? 'in_progress' : 'done';
        await add({
          id,
          metric: m,
          org,
          value: null,
          milestone: status,
          mode: 'cumulative',
          scope: 'city',
          asOf,
          createdAt,
          text: `${m.id}：${status}`,
        });
        continue;
      }
      if (m.kind === 'level') {
        if (weekNo % 4 !== 0) continue; // monthly
        const v = rounded(m, truth(m, asOf));
        await add({
          id,
          metric: m,
          org,
          value: v,
          mode: 'cumulative',
          scope: 'city',
          asOf,
          createdAt,
          text: `${m.name}${v}${m.unit ?? ''}`,
        });
        continue;
      }
      const districts = DISTRICT_METRICS[m.id];
      if (districts && m.id === '3-1') {
        // Only districts report 口袋公园: the city figure is their sum.
        for (const [i, d] of districts.entries()) {
          if (rnd() < 0.15) continue;
          const v = rounded(m, truth(m, asOf) * [0.3, 0.25, 0.2, 0.15][i]!);
          await add({
            id: `${id}-${d}`,
            metric: m,
            org: d,
            value: v,
            mode: 'cumulative',
            scope: d,
            asOf,
            createdAt: createdAt + i * 60_000,
            text: `${d}截至${asOf}建成口袋公园${v}个`,
          });
        }
        continue;
      }
      const total = rounded(m, truth(m, asOf));
      const prev = last.get(m.id);
      // Alternate: a cumulative 截至 figure every fourth week, 本周新增 increments in between.
      if (prev === undefined || weekNo % 4 === 0) {
        await add({
          id,
          metric: m,
          org,
          value: total,
          mode: 'cumulative',
          scope: 'city',
          asOf,
          createdAt,
          text: `截至${asOf}，${m.name}累计${total}${m.unit ?? ''}`,
        });
      } else {
        const inc = rounded(m, Math.max(0, total - prev));
        await add({
          id,
          metric: m,
          org,
          value: inc,
          mode: 'increment',
          scope: 'city',
          asOf,
          createdAt,
          text: `本周${m.name}新增${inc}${m.unit ?? ''}`,
        });
      }
      last.set(m.id, prev === undefined || weekNo % 4 === 0 ? total : prev + rounded(m, Math.max(0, total - prev)));
      if (districts) {
        for (const d of districts) {
          const own = DISTRICT_SHARE[d] ?? { share: 0.2, pace: 1 };
          const v = rounded(m, truth(m, asOf, paceOf(m) * own.pace) * own.share);
          await add({
            id: `${id}-${d}`,
            metric: m,
            org: d,
            value: v,
            mode: 'cumulative',
            scope: d,
            asOf,
            createdAt: createdAt + 120_000,
            text: `${d}截至${asOf}${m.name}${v}`,
          });
        }
      }
    }
  }

  // A correction: a figure typed with an extra digit, superseded by the right one half an hour later.
  const fixDay = addDays(mondayOf(opts.until), -3 - 7);
  if (fixDay > catalog.start) {
    const m = catalog.metric('1-2')!;
    const right = rounded(m, truth(m, fixDay));
    const at = zonedInstant(fixDay, 10 * 60, tz).getTime();
    const wrongId = await add({
      id: 'demo-correction-wrong',
      metric: m,
      org: '市住房城乡建委',
      value: right * 10,
      mode: 'cumulative',
      scope: 'city',
      asOf: fixDay,
      createdAt: at,
      text: `1-2：${right * 10}`,
    });
    const rightId = await add({
      id: 'demo-correction-right',
      metric: m,
      org: '市住房城乡建委',
      value: right,
      mode: 'cumulative',
      scope: 'city',
      asOf: fixDay,
      createdAt: at + 1_800_000,
      text: `更正：1-2 应为 ${right}`,
    });
    if (wrongId && rightId) {
      await db
        .update(reportItems)
        .set({
          supersededAt: at + 1_800_000,
          supersededBy: rightId,
          supersededByOpenId: 'ou_demo_zj1',
          supersedeReason: 'correction',
        })
        .where(eq(reportItems.id, wrongId));
    }
  }
  await db
    .insert(reports)
    .values({
      messageId: 'demo-marker',
      senderOpenId: 'ou_demo_admin',
      text: `demo data until ${opts.until}`,
      status: 'command',
    })
    .onConflictDoNothing();
  return { reports: nReports, items: nItems, contacts: CONTACTS.length, chats: 3, skipped: false };
}
