// "See my data": everything stored for one visitor id, as JSON. The full IP address is
// left out (it is deleted within IP_RETENTION_DAYS and never leaves the database); the
// download says so.
import type { Db } from '../lib/db.ts'
import { vidHash } from './hash.ts'
import type { ExportedEvent, VisitorExport } from '../lib/api-types.ts'

export async function exportVisitor(db: Db, vid: string, ipRetentionDays: number): Promise<VisitorExport> {
  const p = { vid, h: vidHash(vid) }
  const events = await db.query<ExportedEvent>(
    `SELECT event_id, site, toString(ts) AS time, type, name, path, query, title, referrer_source, utm_source, utm_medium, utm_campaign,
            utm_content, utm_term, browser, browser_version, os, os_version, device, screen, country, city, props, sid
     FROM events WHERE vid = {vid:String} ORDER BY ts`,
    p,
  )
  const sids = [...new Set(events.map((e) => String(e.sid)))]
  const companies = sids.length
    ? await db.query<{ sid: string; network_type: string; company: string; network: string; owner: string }>(
        `SELECT e.sid AS sid, e.network_type AS network_type, c.name AS company, e.network AS network, e.owner AS owner
         FROM (SELECT sid, network_type, company_id, network, owner FROM enriched_sessions FINAL WHERE sid IN (SELECT sid FROM events WHERE vid = {vid:String})) AS e
         LEFT JOIN (SELECT company_id, name FROM companies FINAL) AS c ON c.company_id = e.company_id`,
        p,
      )
    : []
  const forms = await db.query<{ domain: string; time: string }>(
    'SELECT domain, toString(ts) AS time FROM form_domains WHERE vid = {vid:String} ORDER BY ts',
    p,
  )
  const [optout] = await db.query<{ created_at: string }>('SELECT toString(created_at) AS created_at FROM optouts FINAL WHERE vid_hash = {h:String}', p)
  const [ips] = await db.query<{ n: string }>('SELECT count() AS n FROM visit_ips WHERE vid = {vid:String}', p)
  return {
    visitor_id: vid,
    exported_at: new Date().toISOString(),
    events,
    visits: companies.map((c) => ({
      session: c.sid,
      network_type: c.network_type,
      company: c.company || null,
      network: c.network || null,
      network_owner: c.owner || null,
    })),
    form_domains: forms,
    opted_out: optout ? { since: optout.created_at } : null,
    ip_addresses: {
      stored: Number(ips?.n ?? 0),
      note: `Full IP addresses are kept at most ${ipRetentionDays} days, only to recognise company networks, and are not part of this download.`,
    },
  }
}
