import { eq } from 'drizzle-orm';
import type { Db } from './Db.js';
import { settings } from './schema.js';

export type SettingRow = typeof settings.$inferSelect;

/** Every stored setting (a handful of rows), by key. Validation lives with whoever owns the key. */
export async function allSettings(db: Db): Promise<Map<string, SettingRow>> {
  const rows = await db.select().from(settings);
  return new Map(rows.map((r) => [r.key, r]));
}

export async function getSetting(db: Db, key: string): Promise<SettingRow | undefined> {
  return (await db.select().from(settings).where(eq(settings.key, key)).limit(1))[0];
}

export async function putSetting(db: Db, key: string, value: unknown, by: string | null, now: number): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedAt: now, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now, updatedBy: by } });
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}
