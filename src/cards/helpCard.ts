import { card, colored, esc, md, type Card } from './kit.js';

export const HELP_LINES: Array<[string, string]> = [
  ['/帮助 help', '本帮助'],
  ['/进度 progress [项目号 | 指标编号]', '进度：现状、目标、完成率、状态、最近报送'],
  ['/我的 mine', '我负责的指标，本周还缺哪些'],
  ['/目标 targets', '全部目标任务'],
  ['/历史 history 指标编号', '一项指标的报送和更正记录'],
  ['/撤销 undo', '作废我最近一次报送或更正（更正撤销后恢复原数）'],
  [
    '/修改 fix 指标编号 数值 [区县]',
    '更正我单位最近一次报送的该项数据（数值按「个」等计数单位读，如 /修改 10-1 9900 即 9,900 个）',
  ],
  ['/绑定 bind 单位', '申请绑定到单位（管理员：/绑定 @某人 单位）'],
  ['/解绑 unbind', '解除绑定（管理员：/解绑 @某人）'],
  ['/联系人 contacts [单位]', '管理员：列出单位的联系人'],
  ['/订阅 subscribe [项目号…]', '群里：本群接收哪些项目的周报（管理员）'],
  ['/退订 unsubscribe [项目号…]', '群里：不再接收（管理员）'],
  ['/请假 leave 至 日期', '请假期间提醒发给本单位其他联系人；「/请假 取消」结束'],
  ['/设置 settings', '管理员：调整设置'],
  ['/说法 phrases', '本单位已学会的说法（管理员：/说法 全部）'],
  ['/忘记 forget 说法', '删除一个学会的说法，下次重新询问指标'],
  ['/看板 board', '进度看板的专属链接（7 天有效）'],
  ['/导出 export [日期] [csv]', '通报 Excel（通报、区县、明细）以文件发给我'],
];

/** /帮助, and the answer to an unknown command. */
export function helpCard(opts: { unknown?: string; examples?: string[] } = {}): Card {
  const els = [];
  if (opts.unknown) els.push(md(colored(`没有「${esc(opts.unknown)}」这个命令。`, 'orange')));
  els.push(
    md(
      `**直接发送进展即可报送**，例如：\n${(opts.examples?.length ? opts.examples : ['本周新增改造老旧小区15个', '截至10月25日，累计新开工改造城镇老旧小区1530个', '1-1 1530']).map((e) => `- ${esc(e)}`).join('\n')}`,
    ),
  );
  els.push(md(`**命令**\n${HELP_LINES.map(([c, d]) => `- **${c}**：${d}`).join('\n')}`));
  return card({ title: '民生实事进度助手 · 帮助', template: 'blue', summary: '帮助', elements: els });
}
