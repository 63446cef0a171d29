// The sales inbox (issue 17): per site and company a status, an owner, tags and notes,
// which viewers (sales users) set as well as admins. Everything is in ClickHouse
// (sql/019): several dashboard processes may serve the same team.
import { randomBytes } from 'node:crypto'
import express, { type Request, Router } from 'express'
import { z } from 'zod'
import { Users } from '../auth/users.ts'
import {
  type BulkUpdated,
  type CompanyNote,
  type CompanyNoteList,
  INBOX_STATUS_VALUES,
  type InboxState,
  type InboxStatus,
  type OwnerList,
} from '../lib/api-types.ts'
import { chTime, type Db, msOf } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import type { Sites } from '../lib/sites.ts'
import { parseOr400 } from '../lib/validate.ts'

export const INBOX_STATUSES = INBOX_STATUS_VALUES
export type { InboxState, InboxStatus }

// A row's tags are shown in the list: a handful of labels, not a document.
export const MAX_TAGS = 20
export const MAX_TAG_LENGTH = 40
export const MAX_NOTE_LENGTH = 5000
export const MAX_BULK = 500
// The newest notes of a company that GET answers with.
const NOTES_SHOWN = 1000

const COMPANY_ID = /^[0-9a-f]{16}$/
// Control characters would break the CSV export and the list's layout.
const CONTROL = /\p{Cc}/u

export interface InboxPatch {
  status?: InboxStatus
  /** A user's e-mail; null or '' unassigns. */
  owner?: string | null
  /** Replaces the tags. */
  tags?: string[]
  add_tags?: string[]
  remove_tags?: string[]
}

const statusSchema = z.enum(INBOX_STATUSES, { message: `status must be one of ${INBOX_STATUSES.join(', ')}` })
const ownerSchema = z.union([z.string().max(254, 'owner must be an e-mail of at most 254 characters'), z.null()], {
  message: "owner must be a user's e-mail, or null to unassign",
})
// Up to 100 given: duplicates are dropped before the limit of MAX_TAGS is checked.
const tagList = (field: string) =>
  z
    .array(z.string({ message: `${field} must be strings` }), { message: `${field} must be an array of strings` })
    .max(100, `${field} may hold at most ${MAX_TAGS} tags`)

/** The message of a body that is not an object, or has a field it does not know (a typo would otherwise change nothing). */
const bodyError = (fields: string) => (iss: { code: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `has an unknown field ${iss.keys?.join(', ')}: it takes ${fields}` : `expected a JSON object of ${fields}`

const PatchBody = z.strictObject(
  { status: statusSchema.optional(), owner: ownerSchema.optional(), tags: tagList('tags').optional() },
  { error: bodyError('status, owner, tags') },
)

const BulkBody = z.strictObject(
  {
    ids: z
      .array(z.string().regex(COMPANY_ID, 'ids must be company ids of 16 hexadecimal characters'), { message: 'ids must be an array of company ids' })
      .min(1, 'ids must name at least one company')
      .max(MAX_BULK, `ids may name at most ${MAX_BULK} companies`),
    status: statusSchema.optional(),
    owner: ownerSchema.optional(),
    add_tags: tagList('add_tags').optional(),
    remove_tags: tagList('remove_tags').optional(),
  },
  { error: bodyError('ids, status, owner, add_tags, remove_tags') },
)

const NoteBody = z.strictObject(
  {
    text: z
      .string({ message: 'text is required' })
      .trim()
      .min(1, 'text must not be empty')
      .max(MAX_NOTE_LENGTH, `text may be at most ${MAX_NOTE_LENGTH} characters`),
  },
  { error: bodyError('text') },
)

const SiteQuery = z.object({ site: z.string({ message: 'site is required' }).min(1, 'site is required').max(253) })

/** One tag as a trigger names it (alerts/triggers.ts): the rules normaliseTags applies to each. */
// Worded to follow the field's name, which the 400 puts first ("tags has an empty tag").
export const tagText = z
  .string({ message: 'has a tag that is not text' })
  .trim()
  .min(1, 'has an empty tag')
  .max(MAX_TAG_LENGTH, `has a tag over ${MAX_TAG_LENGTH} characters`)
  .refine((t) => !CONTROL.test(t), 'has a tag with control characters')

/** Tags trimmed, without duplicates (the first spelling of each, compared case-insensitively); a 400 naming `field` for a bad one. */
export function normaliseTags(tags: readonly string[], field = 'tags'): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of tags) {
    const tag = parseOr400(tagText, raw, field)
    const key = tag.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(tag)
  }
  return out
}

const tooMany = (field: string, n: number) => new HttpError(400, `a company may have at most ${MAX_TAGS} tags; this would give it ${n}`, field)

/** The owner to store ('' for nobody), or a 400: it must be a user who is not deleted. */
async function checkedOwner(db: Db, owner: string | null | undefined): Promise<string | undefined> {
  if (owner === undefined) return undefined
  const email = (owner ?? '').trim().toLowerCase()
  if (email === '') return ''
  const u = await new Users(db).find(email)
  if (!u) throw new HttpError(400, `owner "${email.slice(0, 100)}" is not a user of this dashboard`, 'owner')
  return u.email
}

interface Row {
  company_id: string
  status: string
  owner: string
  tags: string[]
  updated_at: string
  updated_by: string
}

const fresh = (site: string, id: string): InboxState => ({ id, site, status: 'new', owner: null, tags: [], updated_at: null, updated_by: null })

const stateOf = (site: string, r: Row): InboxState => ({
  id: r.company_id,
  site,
  status: (INBOX_STATUSES as readonly string[]).includes(r.status) ? (r.status as InboxStatus) : 'new',
  owner: r.owner || null,
  tags: r.tags,
  updated_at: r.updated_at,
  updated_by: r.updated_by,
})

/** The inbox state of each of `companyIds` on `site` (status 'new', no owner, no tags for those without a row). */
export async function inboxOf(db: Db, site: string, companyIds: string[]): Promise<Map<string, InboxState>> {
  const out = new Map(companyIds.map((id) => [id, fresh(site, id)]))
  if (companyIds.length === 0) return out
  const rows = await db.query<Row>(
    `SELECT company_id, status, owner, tags, toString(updated_at) AS updated_at, updated_by FROM company_inbox
     WHERE site = {site:String} AND company_id IN {ids:Array(String)}`,
    { site, ids: companyIds },
  )
  for (const r of rows) out.set(r.company_id, stateOf(site, r))
  return out
}

/** Which of `ids` are recognised companies (not suppressed). */
async function knownCompanies(db: Db, ids: string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>('SELECT DISTINCT company_id AS id FROM companies FINAL WHERE company_id IN {ids:Array(String)}', { ids })
  return new Set(rows.map((r) => r.id))
}

/**
 * The next state of `s` under a checked patch; a 400 when it would add tags past
 * MAX_TAGS. One with more already (changes at once, see writeInbox) can still lose tags
 * and change its status and owner.
 */
function applied(s: InboxState, p: { status?: InboxStatus; owner?: string; tags?: string[]; add?: string[]; remove?: string[] }): InboxState {
  let tags = p.tags ?? s.tags
  if (p.remove?.length) {
    const gone = new Set(p.remove.map((t) => t.toLowerCase()))
    tags = tags.filter((t) => !gone.has(t.toLowerCase()))
  }
  if (p.add?.length) tags = normaliseTags([...tags, ...p.add], 'add_tags')
  if (tags.length > MAX_TAGS && tags.length > s.tags.length) throw tooMany(p.add?.length ? 'add_tags' : 'tags', tags.length)
  return { ...s, status: p.status ?? s.status, owner: p.owner === undefined ? s.owner : p.owner || null, tags }
}

/** Checks a patch once for any number of companies: tags normalised, the owner looked up. */
async function checkedPatch(db: Db, patch: InboxPatch) {
  if (patch.status !== undefined && !(INBOX_STATUSES as readonly string[]).includes(patch.status))
    throw new HttpError(400, `status must be one of ${INBOX_STATUSES.join(', ')}`, 'status')
  const tags = patch.tags && normaliseTags(patch.tags, 'tags')
  if (tags && tags.length > MAX_TAGS) throw tooMany('tags', tags.length)
  return {
    status: patch.status,
    owner: await checkedOwner(db, patch.owner),
    tags,
    add: patch.add_tags && normaliseTags(patch.add_tags, 'add_tags'),
    remove: patch.remove_tags && normaliseTags(patch.remove_tags, 'remove_tags'),
  }
}

/** One row of company_inbox_fields (sql/022). */
interface FieldRow {
  site: string
  company_id: string
  field: 'status' | 'owner' | 'tag'
  key: string
  value: string
  present: number
  updated_at: string
  updated_by: string
}

/**
 * Writes the next state of companies on `site` and returns them; ids that are not known
 * companies are left out. Only the fields the patch changes are written (sql/022), one
 * row each, so changes made at once by others to other fields or tags are kept. A bad
 * patch (status, owner, tags) is a 400 naming the field, before anything is written.
 */
async function writeInbox(db: Db, site: string, ids: string[], patch: InboxPatch, by: string): Promise<InboxState[]> {
  const p = await checkedPatch(db, patch)
  const known = await knownCompanies(db, ids)
  const before = await inboxOf(
    db,
    site,
    ids.filter((id) => known.has(id)),
  )
  const now = Date.now()
  const rows: FieldRow[] = []
  const added = new Map<string, string[]>()
  const next = [...before.values()].map((s) => {
    // Strictly after the rows it replaces: ReplacingMergeTree keeps the highest updated_at.
    const base = Math.max(now, s.updated_at ? msOf(s.updated_at) + 1 : 0)
    const n = applied(s, p)
    const row = (field: FieldRow['field'], key: string, value: string, present = 1, at = base) =>
      rows.push({ site, company_id: s.id, field, key, value, present, updated_at: chTime(new Date(at)), updated_by: by })
    if (p.status !== undefined) row('status', '', n.status)
    if (p.owner !== undefined) row('owner', '', n.owner ?? '')
    const kept = new Set(n.tags.map((t) => t.toLowerCase()))
    for (const t of s.tags) if (!kept.has(t.toLowerCase())) row('tag', t.toLowerCase(), t, 0)
    // New tags a millisecond apart: readers order tags by when they were added (sql/023).
    const had = new Set(s.tags)
    const newTags = n.tags.filter((t) => !had.has(t))
    for (const [i, t] of newTags.entries()) row('tag', t.toLowerCase(), t, 1, base + i)
    if (newTags.length) added.set(s.id, newTags)
    return { ...n, updated_at: chTime(new Date(base + Math.max(0, newTags.length - 1))), updated_by: by }
  })
  if (rows.length) await db.insert('company_inbox_fields', rows)
  await keepTagLimit(db, site, by, added, p.add?.length ? 'add_tags' : 'tags')
  return next
}

/**
 * Changes at once can each add tags within MAX_TAGS and together pass it (each read the
 * tags before the others wrote): the review saw 37. Read again after writing, and a
 * company over the limit loses the tags this change added, with a 400.
 */
async function keepTagLimit(db: Db, site: string, by: string, added: Map<string, string[]>, field: string): Promise<void> {
  if (added.size === 0) return
  const over = [...(await inboxOf(db, site, [...added.keys()])).values()].filter((s) => s.tags.length > MAX_TAGS)
  if (over.length === 0) return
  await db.insert(
    'company_inbox_fields',
    over.flatMap((s) => {
      // After every row read, this change's among them.
      const at = chTime(new Date(msOf(s.updated_at!) + 1))
      return added.get(s.id)!.map((t) => ({ site, company_id: s.id, field: 'tag', key: t.toLowerCase(), value: t, present: 0, updated_at: at, updated_by: by }))
    }),
  )
  throw tooMany(field, Math.max(...over.map((s) => s.tags.length)))
}

/**
 * Removed tags leave a row each (present 0), one per tag name ever removed: a viewer in a
 * loop could grow the table, which every companies list reads (the review saw 49 rows of
 * 50 be such). Daily, the rows of tags removed over a day ago go, every older version
 * with them (else an older `present` 1 row left unmerged would bring the tag back); a
 * re-add since is younger and stays. Returns how many tags were forgotten.
 */
export async function forgetRemovedTags(db: Db): Promise<number> {
  const params = { before: chTime(new Date(Date.now() - 86_400_000)) }
  const gone = `(SELECT site, company_id, key FROM company_inbox_fields FINAL
     WHERE field = 'tag' AND present = 0 AND updated_at < {before:DateTime64(3, 'UTC')})`
  const [n] = await db.query<{ n: string }>(`SELECT count() AS n FROM ${gone}`, params)
  if (Number(n?.n ?? 0) > 0)
    await db.command(
      `DELETE FROM company_inbox_fields WHERE field = 'tag' AND updated_at < {before:DateTime64(3, 'UTC')} AND (site, company_id, key) IN ${gone}`,
      params,
    )
  return Number(n?.n ?? 0)
}

/**
 * Changes one company's inbox state on `site`: `by` is the user's e-mail, or
 * 'trigger:<id>' for a trigger's action. A 404 for an unknown company, a 400 naming the
 * field for a bad patch.
 */
export async function updateInbox(db: Db, site: string, companyId: string, patch: InboxPatch, by: string): Promise<InboxState> {
  const [s] = await writeInbox(db, site, [companyId], patch, by)
  if (!s) throw new HttpError(404, 'no such company (it may have been suppressed)', 'id')
  return s
}

/** The same change for many companies; returns how many were known and written. */
export async function bulkUpdateInbox(db: Db, site: string, companyIds: string[], patch: InboxPatch, by: string): Promise<number> {
  return (await writeInbox(db, site, [...new Set(companyIds)], patch, by)).length
}

export async function notesOf(db: Db, site: string, companyId: string): Promise<CompanyNote[]> {
  return db.query<CompanyNote>(
    `SELECT id, author, text, toString(created_at) AS created_at FROM company_notes
     WHERE site = {site:String} AND company_id = {id:String}
     ORDER BY created_at DESC, id DESC LIMIT ${NOTES_SHOWN}`,
    { site, id: companyId },
  )
}

export async function addNote(db: Db, site: string, companyId: string, text: string, author: string): Promise<CompanyNote> {
  if (!(await knownCompanies(db, [companyId])).has(companyId)) throw new HttpError(404, 'no such company (it may have been suppressed)', 'id')
  const note: CompanyNote = { id: randomBytes(8).toString('hex'), author, text, created_at: chTime(new Date()) }
  await db.insert('company_notes', [{ site, company_id: companyId, ...note }])
  return note
}

/** The routes of the inbox; mounted before GET /api/companies/:id, whose :id would take "owners". */
export function inboxRouter(deps: { db: Db; sites: Sites; users: Users }): Router {
  const r = Router()
  const site = (req: Request) => deps.sites.registered(parseOr400(SiteQuery, { site: req.query.site }, 'site').site)
  const companyId = (req: Request) => {
    const id = String(req.params.id)
    if (!COMPANY_ID.test(id)) throw new HttpError(400, 'a company id is 16 hexadecimal characters', 'id')
    return id
  }
  const who = (req: Request) => req.user!.email

  r.get('/api/companies/owners', async (_req, res) => {
    res.json({ results: (await deps.users.list()).map((u) => ({ email: u.email })) } satisfies OwnerList)
  })

  r.post('/api/companies/bulk', express.json({ limit: '64kb' }), async (req, res) => {
    const s = site(req)
    const { ids, ...patch } = parseOr400(BulkBody, req.body)
    if (Object.values(patch).every((v) => v === undefined)) throw new HttpError(400, 'name an action: status, owner, add_tags or remove_tags', 'body')
    res.json({ updated: await bulkUpdateInbox(deps.db, s, ids, patch, who(req)) } satisfies BulkUpdated)
  })

  r.patch('/api/companies/:id', express.json({ limit: '16kb' }), async (req, res) => {
    const id = companyId(req)
    const s = site(req)
    const patch = parseOr400(PatchBody, req.body)
    if (Object.values(patch).every((v) => v === undefined)) throw new HttpError(400, 'send at least one of status, owner, tags', 'body')
    res.json((await updateInbox(deps.db, s, id, patch, who(req))) satisfies InboxState)
  })

  r.get('/api/companies/:id/notes', async (req, res) => {
    const id = companyId(req)
    const s = site(req)
    if (!(await knownCompanies(deps.db, [id])).has(id)) throw new HttpError(404, 'no such company (it may have been suppressed)', 'id')
    res.json({ results: await notesOf(deps.db, s, id) } satisfies CompanyNoteList)
  })

  r.post('/api/companies/:id/notes', express.json({ limit: '64kb' }), async (req, res) => {
    const id = companyId(req)
    const s = site(req)
    const b = parseOr400(NoteBody, req.body)
    res.status(201).json((await addNote(deps.db, s, id, b.text, who(req))) satisfies CompanyNote)
  })
  return r
}
