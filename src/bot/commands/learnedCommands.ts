import { learnedCard } from '../../cards/learnedCard.js';
import { allLearned, forgetPhrase, learnedOf } from '../../db/learnedRepo.js';
import type { CommandRun } from '../commandTable.js';
import { howToBindText } from '../hints.js';

/** /说法: the phrases my organisation taught the bot; an administrator sees all organisations'. */
export const phrases: CommandRun = async (c) => {
  const { deps } = c;
  if (c.person.isAdmin && (!c.person.org || c.args[0] === '全部')) {
    return learnedCard({ catalog: deps.catalog, rows: await allLearned(deps.db, deps.catalog.year), all: true });
  }
  if (!c.person.org) return howToBindText();
  return learnedCard({
    catalog: deps.catalog,
    rows: await learnedOf(deps.db, deps.catalog.year, c.person.org),
    all: false,
  });
};

/** /忘记 说法 [单位]: forgets a learned phrase (an administrator may name another organisation). */
export const forget: CommandRun = async (c) => {
  const { deps } = c;
  const phrase = c.args[0];
  if (!phrase) return '用法：/忘记 说法，例如「/忘记 绿地」。发送「/说法」查看已学会的说法。';
  let org = c.person.org;
  if (c.args[1]) {
    if (!c.person.isAdmin) return '只有管理员可以删除其他单位的说法。';
    org = deps.catalog.org(c.args[1])?.name;
    if (!org) return `没有找到单位『${c.args[1]}』。`;
  }
  if (!org) return howToBindText();
  const done = await forgetPhrase(deps.db, deps.catalog.year, org, phrase);
  return done
    ? `已忘记「${phrase}」（${org}）。以后再遇到这个说法会重新询问指标。`
    : `${org}没有学过「${phrase}」。发送「/说法」查看已学会的说法。`;
};
