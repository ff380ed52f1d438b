import { z } from 'zod';
import { bindRequestCard } from '../cards/bindRequestCard.js';
import { chooseMetricCard } from '../cards/chooseMetricCard.js';
import { confirmCard } from '../cards/confirmCard.js';
import type { Deps } from '../deps.js';
import { approveBinding, getContact, rejectBinding } from '../db/contactsRepo.js';
import { getReport, setReportStatus, type Report } from '../db/reportsRepo.js';
import { applyFix, fixHint, undoAndShow } from './commands/reportCommands.js';
import { askedOf, settleChoice } from './handleReport.js';
import { questionFor } from '../cards/unresolvedText.js';
import { boardButton } from '../board/boardChatCommand.js';
import { nameOf, personOf } from './people.js';
import { sendToUser } from './reply.js';
import { settleItems, shownItems, type StoredParse } from './reportFlow.js';
import type { CardAction, CardActionResponse } from './types.js';

// What the bot puts on its buttons; validated where it comes back in (a click can be forged).
const valueSchema = z.discriminatedUnion('a', [
  z.object({ a: z.literal('undo'), r: z.coerce.number().int() }),
  z.object({ a: z.literal('fix'), r: z.coerce.number().int() }),
  z.object({ a: z.literal('choose'), r: z.coerce.number().int(), m: z.string().regex(/^\d+-\d+$/) }),
  z.object({ a: z.literal('confirm'), r: z.coerce.number().int() }),
  z.object({ a: z.literal('cancel'), r: z.coerce.number().int() }),
  z.object({ a: z.literal('approve'), u: z.string().min(1), o: z.string().min(1), r: z.coerce.number().int() }),
  z.object({ a: z.literal('reject'), u: z.string().min(1), o: z.string().min(1), r: z.coerce.number().int() }),
  z.object({ a: z.literal('board') }),
]);

const toast = (type: 'success' | 'info' | 'warning' | 'error', content: string): CardActionResponse => ({
  toast: { type, content },
});

/** The report behind a button, if the person clicking it is the one who sent it. */
async function ownReport(deps: Deps, a: CardAction, id: number): Promise<Report | CardActionResponse> {
  const report = await getReport(deps.db, id);
  if (!report) return toast('error', '找不到这条报送。');
  if (report.senderOpenId !== a.operatorOpenId) return toast('warning', '只有报送人本人可以操作。');
  return report;
}

const isReport = (x: Report | CardActionResponse): x is Report => 'senderOpenId' in x;

const ALREADY: Record<string, string> = {
  recorded: '已经记录过了。',
  undone: '这次报送已经撤销了。',
  cancelled: '已经取消了。',
  refused: '这次报送没有记录（无权限）。',
  corrected: '已经处理过了。',
};

/** Entry for every card button click: checks who clicks, acts once, answers with a toast and the updated card. */
export async function handleCardAction(deps: Deps, action: CardAction): Promise<CardActionResponse> {
  const parsed = valueSchema.safeParse(action.value);
  if (!parsed.success) {
    deps.log.warn('card_action_unknown', { eventId: action.eventId });
    return toast('error', '这个按钮已失效。');
  }
  const v = parsed.data;
  deps.log.info('card_action', { eventId: action.eventId, action: v.a });
  const now = deps.clock.now().getTime();

  if (v.a === 'board') return boardButton(deps, action.operatorOpenId, action.eventId);

  if (v.a === 'approve' || v.a === 'reject') {
    const op = await personOf(deps, action.operatorOpenId);
    if (!op.isAdmin) return toast('warning', '只有管理员可以审批绑定申请。');
    const by = await nameOf(deps, action.operatorOpenId);
    const user = await getContact(deps.db, v.u);
    // The request card as decided: by this click, or earlier by someone else.
    const decidedCard = (decided: { approved: boolean; by: string }) =>
      bindRequestCard({ openId: v.u, name: user?.name, org: v.o, reportId: v.r, decided });
    const done =
      v.a === 'approve' ? await approveBinding(deps.db, v.u, v.o, now) : await rejectBinding(deps.db, v.u, v.o, now);
    if (!done)
      return {
        ...toast('info', '这条申请已经处理过了。'),
        card: decidedCard({ approved: user?.org === v.o && user.status === 'active', by: '已处理' }),
      };
    await sendToUser(
      deps,
      v.u,
      v.a === 'approve'
        ? `你的绑定申请已批准：你现在是 ${v.o} 的联系人，可以直接发送进展报送了。发送「/我的」查看负责的指标。`
        : `你申请绑定 ${v.o} 未获批准。如有疑问请联系管理员，或发送「/绑定 单位名称」重新申请。`,
      `bindres-${v.r}`,
    );
    return {
      ...toast('success', v.a === 'approve' ? `已批准：${v.o}` : '已拒绝'),
      card: decidedCard({ approved: v.a === 'approve', by }),
    };
  }

  const own = await ownReport(deps, action, v.r);
  if (!isReport(own)) return own;
  const report = own;

  if (v.a === 'fix') return toast('info', await fixHint(deps, report.id));

  if (v.a === 'undo') {
    const card = await undoAndShow(deps, report.id, action.operatorOpenId);
    if (!card) return toast('info', ALREADY[report.status] ?? '这次报送不能撤销。');
    return { ...toast('success', '已撤销，数据保留在历史中。'), card };
  }

  const stored = report.parse as StoredParse | null;
  if (v.a === 'cancel') {
    const question = askedOf(stored) ? questionFor(askedOf(stored)!, deps.catalog) : (stored?.result?.question ?? '');
    if (report.status === 'needs_choice' && stored?.recorded?.length) {
      // 都不是，取消 drops only the unclear figure: the ones recorded with the question stand.
      const ok = await setReportStatus(deps.db, report.id, ['needs_choice'], 'recorded', now, {
        detail: '不明确的数已取消',
      });
      if (!ok) return toast('info', ALREADY[report.status] ?? '已经处理过了。');
      return {
        ...toast('success', '已取消这个数；其余已记录的数据不变。'),
        card: chooseMetricCard({ reportId: report.id, question, candidates: [], cancelled: true, keptOthers: true }),
      };
    }
    const ok = await setReportStatus(deps.db, report.id, ['needs_choice', 'needs_confirmation'], 'cancelled', now, {
      detail: '报送人取消',
    });
    if (!ok) return toast('info', ALREADY[report.status] ?? '已经处理过了。');
    if (report.status === 'needs_choice') {
      return {
        ...toast('success', '已取消，没有记录。'),
        card: chooseMetricCard({ reportId: report.id, question, candidates: [], cancelled: true }),
      };
    }
    const shown = await shownItems(deps, stored?.fix ? [stored.fix.item] : (stored?.pending ?? []), null);
    return {
      ...toast('success', '已取消，没有记录。'),
      card: confirmCard({ reportId: report.id, items: shown.map((s) => ({ ...s, reasons: [] })), cancelled: true }),
    };
  }

  if (!stored) return toast('error', '这条报送缺少解析结果，请重新发送。');

  if (v.a === 'choose') {
    if (report.status !== 'needs_choice') return toast('info', ALREADY[report.status] ?? '已经处理过了。');
    const outcome = await settleChoice(deps, report, v.m, { by: action.operatorOpenId });
    if (!outcome) return toast('info', '已经处理过了。');
    if (typeof outcome.answer === 'string') {
      const u = askedOf(stored);
      return {
        ...toast(outcome.status === 'refused' ? 'warning' : 'info', outcome.answer.slice(0, 200)),
        card: chooseMetricCard({
          reportId: report.id,
          question: u ? questionFor(u, deps.catalog) : '',
          candidates: [],
          chosen: `${v.m}（未记录）`,
        }),
      };
    }
    return {
      ...toast(
        outcome.status === 'recorded' ? 'success' : 'info',
        outcome.status === 'recorded' ? '已记录' : '请确认数据',
      ),
      card: outcome.answer,
    };
  }

  // confirm
  if (report.status !== 'needs_confirmation') return toast('info', ALREADY[report.status] ?? '已经处理过了。');
  if (stored.fix) {
    const said = await applyFix(
      deps,
      report.id,
      stored.org,
      report.senderOpenId,
      stored.fix,
      'needs_confirmation',
      stored.date,
    );
    if (said === null) return toast('info', '已经处理过了。');
    const [shown] = await shownItems(deps, [stored.fix.item], null);
    await sendToUser(deps, report.senderOpenId, said, `fixok-${report.id}`);
    return {
      ...toast('success', '已更正'),
      card: confirmCard({ reportId: report.id, items: [{ ...shown!, reasons: [] }], confirmed: true }),
    };
  }
  const outcome = await settleItems(
    deps,
    report,
    stored.org,
    stored.pending ?? [],
    stored.date,
    ['needs_confirmation'],
    { confirmed: true, refused: stored.refused ?? [] },
  );
  if (!outcome) return toast('info', '已经处理过了。');
  if (typeof outcome.answer === 'string') return toast('warning', outcome.answer.slice(0, 200));
  return { ...toast('success', '已记录'), card: outcome.answer };
}
