// Company suppression: a company that asked not to be recognised is never stored or
// shown again. Adding a suppression removes what is already there: its company
// visits, its profile, its inbox state and notes, and the attribution of its visits
// (which stay counted as anonymous visits in the ordinary statistics).
import { randomUUID } from 'node:crypto'
import { type Db, paramChunks } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { parseOr400 } from '../lib/validate.ts'
import { domainName } from './directory.ts'
import type { Company, Knowledge, Suppression } from './company.ts'
import { cmp6, parseCidr } from '../lib/ip.ts'
import { MIN_CONFIDENCE } from './jobs/learn-domains.ts'
import { audit } from '../privacy/audit.ts'

export const SUPPRESSION_KINDS = ['company', 'domain', 'name', 'range'] as const

/** Validates and normalises a suppression's value; 400 naming the problem otherwise. */
function suppressionValue(kind: Suppression['kind'], value: string): string {
  const v = value.trim()
  if (v === '' || v.length > 300) throw new HttpError(400, 'value must be 1 to 300 characters', 'value')
  if (kind === 'domain') return parseOr400(domainName, v, 'value')
  if (kind === 'range') {
    if (!parseCidr(v)) throw new HttpError(400, `"${v.slice(0, 80)}" is not an address or CIDR range such as 192.0.2.0/24`, 'value')
    return v
  }
  if (kind === 'company' && !/^[0-9a-f]{16}$/.test(v)) throw new HttpError(400, 'a company id is 16 hexadecimal characters', 'value')
  return v
}

export async function addSuppression(
  db: Db,
  knowledge: Knowledge,
  kind: Suppression['kind'],
  value: string,
  reason: string,
  actor: 'admin' | 'visitor' = 'admin',
): Promise<{ id: string; removed: number }> {
  const [id] = await insertSuppressions(db, reason, [[kind, value]], actor)
  return { id: id!, removed: await applySuppressions(db, knowledge) }
}

/** Several at once (a company and its network, from the opt-out page), applied once. */
export async function addSuppressions(
  db: Db,
  knowledge: Knowledge,
  reason: string,
  items: Array<[Suppression['kind'], string]>,
  actor: 'admin' | 'visitor',
): Promise<number> {
  await insertSuppressions(db, reason, items, actor)
  return applySuppressions(db, knowledge)
}

async function insertSuppressions(db: Db, reason: string, items: Array<[Suppression['kind'], string]>, actor: 'admin' | 'visitor'): Promise<string[]> {
  const rows = items.map(([kind, value]) => ({ id: randomUUID(), kind, value: suppressionValue(kind, value), reason: reason.slice(0, 300), deleted: 0 }))
  await db.insert('suppressions', rows)
  for (const r of rows) await audit(db, 'suppression', r.id, actor, { kind: r.kind, reason: r.reason })
  return rows.map((r) => r.id)
}

export async function removeSuppression(db: Db, id: string): Promise<boolean> {
  const [row] = await db.query<Suppression & { reason: string }>(
    'SELECT id, kind, value, reason FROM suppressions FINAL WHERE id = {id:String} AND deleted = 0',
    { id },
  )
  if (!row) return false
  await db.insert('suppressions', [{ ...row, deleted: 1 }])
  return true
}

function rangesOverlap(a: NonNullable<ReturnType<typeof parseCidr>>, b: NonNullable<ReturnType<typeof parseCidr>>): boolean {
  if (a.v === 4 && b.v === 4) return a.from <= b.to && b.from <= a.to
  if (a.v === 6 && b.v === 6) return cmp6(a.from, b.to) <= 0 && cmp6(b.from, a.to) <= 0
  return false
}

/** Removes everything recognised of suppressed companies; returns how many companies. */
export async function applySuppressions(db: Db, knowledge: Knowledge): Promise<number> {
  await knowledge.refresh(db, MIN_CONFIDENCE)
  const ranges = knowledge.suppressedRangeList
  const companies = await db.query<Company & { company_id: string }>('SELECT company_id, name, domain FROM companies FINAL')
  const ids = new Set(companies.filter((c) => knowledge.suppressed({ ...c, id: c.company_id }, null)).map((c) => c.company_id))
  if (ranges.length > 0) {
    const nets = await db.query<{ company_id: string; network: string }>(
      "SELECT DISTINCT company_id, network FROM enriched_sessions FINAL WHERE company_id != '' AND network != ''",
    )
    for (const n of nets) {
      const net = parseCidr(n.network)
      if (net && ranges.some((r) => rangesOverlap(r, net))) ids.add(n.company_id)
    }
  }
  if (ids.size === 0) return 0
  // In pieces: a broad suppression can match thousands of companies, and a server refuses a URL field over 128 KiB.
  for (const list of paramChunks([...ids])) {
    await db.command(
      `INSERT INTO enriched_sessions (site, sid, day, network_type, company_id, network)
       SELECT site, sid, day, network_type, '', '' FROM enriched_sessions FINAL WHERE company_id IN {ids:Array(String)}`,
      { ids: list },
    )
    await db.command('DELETE FROM company_visits WHERE company_id IN {ids:Array(String)}', { ids: list })
    await db.command('DELETE FROM company_sessions WHERE company_id IN {ids:Array(String)}', { ids: list })
    await db.command('DELETE FROM companies WHERE company_id IN {ids:Array(String)}', { ids: list })
    // What the sales team recorded about it goes too (sql/019, sql/022): it is about the company.
    await db.command('DELETE FROM company_inbox_fields WHERE company_id IN {ids:Array(String)}', { ids: list })
    await db.command('DELETE FROM company_notes WHERE company_id IN {ids:Array(String)}', { ids: list })
  }
  return ids.size
}
