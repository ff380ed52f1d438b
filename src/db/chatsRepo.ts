import { eq } from 'drizzle-orm';
import type { Db } from './Db.js';
import { chats } from './schema.js';

export type Chat = typeof chats.$inferSelect;

export async function getChat(db: Db, chatId: string): Promise<Chat | undefined> {
  return (await db.select().from(chats).where(eq(chats.chatId, chatId)).limit(1))[0];
}

/** Remembers a group the bot is in (added to a group, or first message from it). */
export async function rememberChat(db: Db, chatId: string, name: string | null, now: number): Promise<void> {
  await db
    .insert(chats)
    .values({ chatId, name, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: chats.chatId, set: { updatedAt: now, ...(name ? { name } : {}) } });
}

/** Sets exactly which projects' digests a group gets (empty: none). */
export async function setSubscription(db: Db, chatId: string, projects: number[], now: number): Promise<Chat> {
  const [row] = await subscriptionUpsert(db, chatId, projects, now).returning();
  return row!;
}

/** The statement setSubscription runs (also written out as SQL for a Worker's D1). */
export function subscriptionUpsert(db: Db, chatId: string, projects: number[], now: number) {
  const list = [...new Set(projects)].sort((a, b) => a - b);
  return db
    .insert(chats)
    .values({ chatId, projects: list, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: chats.chatId, set: { projects: list, updatedAt: now } });
}

/** Groups subscribed to at least one project. */
export async function subscribedChats(db: Db): Promise<Chat[]> {
  const rows = await db.select().from(chats);
  return rows.filter((c) => c.projects.length > 0);
}
