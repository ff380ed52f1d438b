import type { Deps } from '../deps.js';
import type { CardAction, CardActionResponse } from './types.js';

/** Entry for every card button click (placeholder until the conversation handlers land). */
export async function handleCardAction(deps: Deps, action: CardAction): Promise<CardActionResponse> {
  deps.log.info('card_action', { eventId: action.eventId });
  return {};
}
