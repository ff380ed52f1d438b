import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { contacts } from './schema.js';

export type Contact = typeof contacts.$inferSelect;

export async function getContact(db: Db, openId: string): Promise<Contact | undefined> {
  return (await db.select().from(contacts).where(eq(contacts.openId, openId)).limit(1))[0];
}

/** Binds (or rebinds) a user to an organisation as an active contact. Keeps an admin an admin. */
export async function bindContact(
  db: Db,
  c: { openId: string; org: string; name?: string | null; role?: 'admin' | 'contact'; now: number },
): Promise<Contact> {
  const [row] = await db
    .insert(contacts)
    .values({
      openId: c.openId,
      org: c.org,
      name: c.name ?? null,
      role: c.role ?? 'contact',
      status: 'active',
      requestedOrg: null,
      createdAt: c.now,
      updatedAt: c.now,
    })
    .onConflictDoUpdate({
      target: contacts.openId,
      set: {
        org: c.org,
        status: 'active',
        requestedOrg: null,
        updatedAt: c.now,
        ...(c.name ? { name: c.name } : {}),
        ...(c.role ? { role: c.role } : {}),
      },
    })
    .returning();
  return row!;
}

export async function unbindContact(db: Db, openId: string, now: number): Promise<boolean> {
  const r = await db
    .update(contacts)
    .set({ status: 'inactive', requestedOrg: null, updatedAt: now })
    .where(eq(contacts.openId, openId))
    .returning({ openId: contacts.openId });
  return r.length > 0;
}

export async function setRole(db: Db, openId: string, role: 'admin' | 'contact', now: number): Promise<void> {
  await db
    .insert(contacts)
    .values({ openId, role, status: role === 'admin' ? 'active' : 'pending', createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: contacts.openId, set: { role, updatedAt: now } });
}

/** Active contacts, of one organisation or all, ordered by organisation then name. */
export async function listContacts(db: Db, org?: string): Promise<Contact[]> {
  const where = org ? and(eq(contacts.status, 'active'), eq(contacts.org, org)) : eq(contacts.status, 'active');
  return db.select().from(contacts).where(where).orderBy(asc(contacts.org), asc(contacts.name), asc(contacts.openId));
}

export async function contactsOfOrgs(db: Db, orgs: string[]): Promise<Contact[]> {
  if (orgs.length === 0) return [];
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.status, 'active'), inArray(contacts.org, orgs)))
    .orderBy(asc(contacts.org), asc(contacts.openId));
}

/** Admins: ADMIN_OPEN_IDS plus those granted the role in the database. */
export async function adminOpenIds(db: Db, configured: string[]): Promise<string[]> {
  const rows = await db.select({ openId: contacts.openId }).from(contacts).where(eq(contacts.role, 'admin'));
  return [...new Set([...configured, ...rows.map((r) => r.openId)])];
}

/** `/请假 至 日期`: away until (and including) the date; null ends the leave. */
export async function setLeave(db: Db, openId: string, until: string | null, now: number): Promise<boolean> {
  const r = await db
    .update(contacts)
    .set({ leaveUntil: until, updatedAt: now })
    .where(eq(contacts.openId, openId))
    .returning({ openId: contacts.openId });
  return r.length > 0;
}

/** On leave on `date` (ISO day). */
export function onLeave(c: Pick<Contact, 'leaveUntil'>, date: string): boolean {
  return !!c.leaveUntil && c.leaveUntil >= date;
}

/** An admin approves a pending request: binds the user to the org asked for, if still asked. */
export async function approveBinding(db: Db, openId: string, org: string, now: number): Promise<Contact | undefined> {
  const [row] = await db
    .update(contacts)
    .set({ org, status: 'active', requestedOrg: null, updatedAt: now })
    .where(and(eq(contacts.openId, openId), eq(contacts.requestedOrg, org)))
    .returning();
  return row;
}

/** An admin refuses a pending request; an existing binding stays as it was. False if no longer asked. */
export async function rejectBinding(db: Db, openId: string, org: string, now: number): Promise<boolean> {
  const r = await db
    .update(contacts)
    .set({
      requestedOrg: null,
      status: sql`CASE WHEN ${contacts.status} = 'pending' THEN 'inactive' ELSE ${contacts.status} END`,
      updatedAt: now,
    })
    .where(and(eq(contacts.openId, openId), eq(contacts.requestedOrg, org)))
    .returning({ openId: contacts.openId });
  return r.length > 0;
}

/** The upsert that binds one imported contact (as contact or admin); importContacts batches these. */
export function contactUpsert(
  db: Db,
  c: { openId: string; name: string | null; org: string | null; role: 'admin' | 'contact' },
  now: number,
) {
  const status = c.org || c.role === 'admin' ? 'active' : 'pending';
  return db
    .insert(contacts)
    .values({
      openId: c.openId,
      name: c.name,
      org: c.org,
      role: c.role,
      status,
      requestedOrg: null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: contacts.openId,
      set: { name: c.name, org: c.org, role: c.role, status, requestedOrg: null, updatedAt: now },
    });
}

/** Writes many contacts at once, atomically (CSV import): each row binds, as contact or admin. */
export async function importContacts(
  db: Db,
  rows: Array<{ openId: string; name: string | null; org: string | null; role: 'admin' | 'contact' }>,
  now: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  await db.batch(rows.map((c) => contactUpsert(db, c, now)) as never);
  return rows.length;
}

/**
 * A binding request, unless one is already waiting: the contact row with the requested org, or
 * null when this person has a request pending (which keeps it; the caller sends no new cards).
 * One conditional statement, so two deliveries at once cannot both pass.
 */
export async function requestBindingOnce(
  db: Db,
  c: { openId: string; org: string; name?: string | null; now: number },
): Promise<Contact | null> {
  const [row] = await db
    .insert(contacts)
    .values({
      openId: c.openId,
      name: c.name ?? null,
      org: null,
      role: 'contact',
      status: 'pending',
      requestedOrg: c.org,
      createdAt: c.now,
      updatedAt: c.now,
    })
    .onConflictDoUpdate({
      target: contacts.openId,
      set: { requestedOrg: c.org, updatedAt: c.now, ...(c.name ? { name: c.name } : {}) },
      setWhere: isNull(contacts.requestedOrg),
    })
    .returning();
  return row ?? null;
}
