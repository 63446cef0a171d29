// The audit log of privacy actions: what was done, when, by whom (visitor, admin or
// job), about whom only as the SHA-256 of a visitor id, with counts.
import type { Db } from '../lib/db.ts'

export type PrivacyAction = 'optout' | 'optin' | 'erasure' | 'export' | 'suppression'

export async function audit(db: Db, action: PrivacyAction, subject: string, actor: string, detail: object = {}): Promise<void> {
  await db.insert('privacy_audit', [{ action, subject, actor, detail: JSON.stringify(detail) }])
}
