import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEnvelope, type LarkEvent } from '../../src/lark/envelope.js';
import { toBotAdded, toCardAction, toIncomingMessage, toP2pEntered } from '../../src/bot/incoming.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/lark/${name}.json`, import.meta.url), 'utf8')) as unknown;
function event(name: string): LarkEvent {
  const env = readEnvelope(fixture(name));
  if (env.kind !== 'event') throw new Error(`not an event: ${name}`);
  return env.event;
}

describe("payloads → handler inputs (fixtures in the notes' shapes)", () => {
  it('url_verification is a challenge', () => {
    expect(readEnvelope(fixture('url_verification'))).toEqual({
      kind: 'challenge',
      challenge: 'ajls384kdjx98XX',
      token: 'rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV',
    });
  });

  it("the notes' text message: a group message whose leading mention is the bot when its id is unknown", () => {
    const ev = event('im.message.receive_v1');
    expect(ev).toMatchObject({
      schema: '2.0',
      eventId: '5e3702a84e847582be8db7fb73283c02',
      eventType: 'im.message.receive_v1',
      createTime: 1608725989000,
    });
    expect(toIncomingMessage(ev)).toEqual({
      eventId: '5e3702a84e847582be8db7fb73283c02',
      messageId: 'om_5ce6d572455d361153b7cb51da133945',
      chatId: 'oc_5ce6d572455d361153b7xx51da133945',
      chatType: 'group',
      senderOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
      text: 'hello',
      mentions: [],
      messageType: 'text',
      createTime: 1609073151345,
    });
    // With the bot's id known, Tom is someone else: resolved to his name and listed.
    expect(toIncomingMessage(ev, 'ou_bot')).toMatchObject({
      text: '@Tom hello',
      mentions: [{ openId: 'ou_84aad35d084aa403a838cf73ee18467', name: 'Tom' }],
    });
  });

  it('rich text is flattened, the bot mention stripped, images dropped', () => {
    expect(toIncomingMessage(event('im.message.receive_v1.post'), 'ou_bot_0000000000000000000000000')).toMatchObject({
      text: '本周新增助餐点3个',
      messageType: 'post',
      mentions: [],
    });
  });

  it('post with a locale wrapper (as sent) is read too; @_all becomes @所有人', () => {
    const ev: LarkEvent = {
      schema: '2.0',
      eventId: 'e',
      eventType: 'im.message.receive_v1',
      event: {
        sender: { sender_id: { open_id: 'ou_a' } },
        message: {
          message_id: 'om_1',
          chat_id: 'oc_1',
          chat_type: 'p2p',
          message_type: 'post',
          content: JSON.stringify({
            zh_cn: {
              title: '周报',
              content: [
                [
                  { tag: 'text', text: '累计' },
                  { tag: 'a', text: '120个', href: 'https://x' },
                ],
                [
                  { tag: 'at', user_id: 'all' },
                  { tag: 'text', text: ' 请报送' },
                ],
              ],
            },
          }),
        },
      },
    };
    expect(toIncomingMessage(ev)?.text).toBe('周报\n累计120个\n@所有人 请报送');
  });

  it('p2p messages keep every mention (there is no bot mention in p2p)', () => {
    const ev: LarkEvent = {
      schema: '2.0',
      eventId: 'e',
      eventType: 'im.message.receive_v1',
      event: {
        sender: { sender_id: { open_id: 'ou_a' } },
        message: {
          message_id: 'om_2',
          chat_id: 'oc_2',
          chat_type: 'p2p',
          message_type: 'text',
          content: '{"text":"@_user_1 是我们区的联系人"}',
          mentions: [{ key: '@_user_1', id: { open_id: 'ou_li' }, name: '李四' }],
        },
      },
    };
    expect(toIncomingMessage(ev)).toMatchObject({
      text: '@李四 是我们区的联系人',
      mentions: [{ openId: 'ou_li', name: '李四' }],
    });
  });

  it('card action, bot added, p2p entered', () => {
    expect(toCardAction(event('card.action.trigger'))).toEqual({
      eventId: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e',
      operatorOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
      value: { action: 'confirm', report: 42 },
      openMessageId: 'om_card_0001',
      openChatId: 'oc_5ce6d572455d361153b7xx51da133945',
    });
    expect(toBotAdded(event('im.chat.member.bot.added_v1'))).toEqual({
      eventId: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
      chatId: 'oc_413871c8a4f6f2b8ecbd1c3d0f5f6a7b',
      name: '民生实事专班',
    });
    expect(toP2pEntered(event('im.chat.access_event.bot_p2p_chat_entered_v1'))).toEqual({
      eventId: '1f2e3d4c5b6a79881f2e3d4c5b6a7988',
      openId: 'ou_84aad35d084aa403a838cf73ee18467',
      chatId: 'oc_p2p_0001',
    });
  });

  it('an envelope without an event id is invalid', () => {
    expect(readEnvelope({ schema: '2.0', header: { event_type: 'x' }, event: {} })).toEqual({
      kind: 'invalid',
      reason: 'invalid_envelope',
    });
    expect(readEnvelope([1, 2])).toEqual({ kind: 'invalid', reason: 'invalid_envelope' });
  });
});
