// Company records: public company information only, assembled from the network
// owner's name, geolocation, a domain (learned from forms, MaxMind Domain or reverse
// DNS) and the operator's company directory. Suppressed companies never come out.
import { createHash } from 'node:crypto'
import type { Db } from '../lib/db.ts'
import { inCidr, parseCidr, type ParsedIp } from '../lib/ip.ts'
import { bareHost } from '../lib/domain.ts'

export interface Company {
  id: string
  name: string
  domain: string
  address: string
  postcode: string
  city: string
  country: string
  industry: string
  employee_range: string
  phone: string
  website: string
  registration_number: string
}

export type DirectoryEntry = Omit<Company, 'id'> & {
  /** A named review-queue candidate: the network owner's registered name the entry stands for. */
  owner?: string
}

// Legal forms dropped when comparing names, so "Apple Inc." and "APPLE" are one company.
const LEGAL_FORMS =
  /\b(inc|incorporated|llc|ltd|limited|plc|gmbh|ag|kg|se|bv|nv|sa|sas|sarl|srl|spa|as|ab|oy|oyj|corp|corporation|co|company|holding|holdings|group|the)\b/g

export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[.,'’"()&+\-/]/g, ' ')
    .replace(LEGAL_FORMS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const domainKey = (d: string) => bareHost(d.trim())

/**
 * Stable id from the network owner's registered name: a domain or directory entry
 * learned later enriches the profile without splitting its history in two.
 */
export function companyId(ownerName: string): string {
  return createHash('sha256')
    .update(`n:${nameKey(ownerName)}`)
    .digest('hex')
    .slice(0, 16)
}

export interface Suppression {
  id: string
  kind: 'domain' | 'name' | 'range' | 'company'
  value: string
}

/**
 * What the operator's data says about companies: the directory, learned
 * network → domain mappings and suppressions. Held in memory (lookups are per
 * visit, in batches of thousands) and refreshed from ClickHouse before each job run.
 */
export class Knowledge {
  private byDomain = new Map<string, DirectoryEntry>()
  private byName = new Map<string, DirectoryEntry>()
  private learned = new Map<string, { domain: string; confidence: number }>()
  private suppressedIds = new Set<string>()
  private suppressedDomains = new Set<string>()
  private suppressedNames = new Set<string>()
  private suppressedRanges: Array<NonNullable<ReturnType<typeof parseCidr>>> = []

  static empty(): Knowledge {
    return new Knowledge()
  }

  private directoryVersion = ''

  async refresh(db: Db, minConfidence: number): Promise<void> {
    // The directory can hold a whole chamber of commerce: reload it only when it changed.
    const [v] = await db.query<{ v: string }>("SELECT concat(toString(count()), '/', toString(max(imported_at))) AS v FROM company_directory")
    const reloadDirectory = v?.v !== this.directoryVersion
    const [dir, learned, supp] = await Promise.all([
      reloadDirectory
        ? db.query<DirectoryEntry>(
            'SELECT name, domain, address, postcode, city, country, industry, employee_range, phone, website, registration_number, owner FROM company_directory FINAL',
          )
        : Promise.resolve(null),
      db.query<{ network: string; domain: string; confidence: number }>(
        'SELECT network, domain, confidence FROM network_domains FINAL WHERE removed = 0 AND confidence >= {min:Float32}',
        { min: minConfidence },
      ),
      db.query<Suppression>('SELECT id, kind, value FROM suppressions FINAL WHERE deleted = 0'),
    ])
    if (dir) {
      this.setDirectory(dir)
      this.directoryVersion = v?.v ?? ''
    }
    this.learned = new Map(learned.map((l) => [l.network, { domain: l.domain, confidence: Number(l.confidence) }]))
    this.setSuppressions(supp)
  }

  setDirectory(entries: DirectoryEntry[]): void {
    this.byDomain = new Map()
    this.byName = new Map()
    for (const e of entries) {
      if (e.domain) this.byDomain.set(domainKey(e.domain), e)
      if (e.name) this.byName.set(nameKey(e.name), e)
    }
    // After every plain name: the owner an admin named wins over another entry's name.
    for (const e of entries) if (e.owner) this.byName.set(nameKey(e.owner), e)
  }

  setSuppressions(list: Suppression[]): void {
    // A name suppression also suppresses the company whose owner has that name: the id
    // is made from the owner's name, and stored companies may show a directory's name.
    this.suppressedIds = new Set(list.flatMap((s) => (s.kind === 'company' ? [s.value] : s.kind === 'name' ? [companyId(s.value)] : [])))
    this.suppressedDomains = new Set(list.filter((s) => s.kind === 'domain').map((s) => domainKey(s.value)))
    this.suppressedNames = new Set(list.filter((s) => s.kind === 'name').map((s) => nameKey(s.value)))
    this.suppressedRanges = list.flatMap((s) => {
      const c = s.kind === 'range' ? parseCidr(s.value) : null
      return c ? [c] : []
    })
  }

  learnedDomain(network: string): { domain: string; confidence: number } | null {
    return this.learned.get(network) ?? null
  }

  directory(domain: string, name: string): DirectoryEntry | null {
    return (domain ? this.byDomain.get(domainKey(domain)) : undefined) ?? this.byName.get(nameKey(name)) ?? null
  }

  /** Why this company or address must not be recognised, or null. `owner`: the registered name, if it differs. */
  /** The suppressed address ranges, parsed. */
  get suppressedRangeList(): ReadonlyArray<NonNullable<ReturnType<typeof parseCidr>>> {
    return this.suppressedRanges
  }

  suppressed(c: Pick<Company, 'id' | 'name' | 'domain'>, ip: ParsedIp | null, owner = c.name): string | null {
    if (this.suppressedIds.has(c.id)) return 'company suppressed'
    if (c.domain && this.suppressedDomains.has(domainKey(c.domain))) return `domain ${c.domain} suppressed`
    if (this.suppressedNames.has(nameKey(c.name)) || this.suppressedNames.has(nameKey(owner))) return `name ${c.name} suppressed`
    if (ip && this.suppressedRanges.some((r) => inCidr(ip, r))) return 'address range suppressed'
    return null
  }
}
