import type { Deps } from '../deps.js';
import { getContact, type Contact } from '../db/contactsRepo.js';
import { localDate, zonedInstant } from '../workdays/zoned.js';

/** Who is speaking: admin or not, and the organisation they are bound to (active binding only). */
export interface Person {
  openId: string;
  contact: Contact | undefined;
  isAdmin: boolean;
  /** The organisation of an active binding. */
  org: string | undefined;
}

export async function personOf(deps: Deps, openId: string): Promise<Person> {
  const contact = await getContact(deps.db, openId);
  const isAdmin = deps.config.ADMIN_OPEN_IDS.includes(openId) || contact?.role === 'admin';
  const org = contact?.status === 'active' && contact.org ? contact.org : undefined;
  return { openId, contact, isAdmin, org };
}

/** The calendar day of a moment in the bot's time zone (ISO YYYY-MM-DD). */
export function dayIn(ms: number, timeZone: string): string {
  return localDate(new Date(ms), timeZone);
}

/** Monday 00:00 of the week containing `ms`, in the bot's time zone, as Unix ms. */
export function weekStartMs(ms: number, timeZone: string): number {
  const day = dayIn(ms, timeZone);
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = new Date(Date.parse(`${day}T00:00:00Z`) - dow * 86_400_000).toISOString().slice(0, 10);
  return zonedInstant(monday, 0, timeZone).getTime();
}

/** Display name of a reporter: the contact's name, else their org, else a shortened open_id. */
export async function nameOf(
  deps: Deps,
  openId: string | undefined,
  cache = new Map<string, string>(),
): Promise<string> {
  if (!openId) return '—';
  const hit = cache.get(openId);
  if (hit) return hit;
  const c = await getContact(deps.db, openId);
  const name = c?.name ? `${c.name}${c.org ? `（${c.org}）` : ''}` : (c?.org ?? `${openId.slice(0, 10)}…`);
  cache.set(openId, name);
  return name;
}
