// Triggers (issue 17): conditions on a company's visit, and what to do when one matches.
// Validated once here; stored as JSON in `triggers` (sql/021), one row version per change.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { INBOX_STATUSES, tagText } from '../dashboard/inbox.ts'
import { NETWORK_TYPES } from '../enrichment/classify.ts'
import { chTime, type Db, isoOf } from '../lib/db.ts'
import type { Trigger } from '../lib/api-types.ts'

// Bounds: a trigger is read on every run of the job and sent in every delivery.
const MAX_LIST = 50
export const MAX_TRIGGERS = 200

const httpUrl = (what: string) =>
  z
    .string({ message: `${what} is required` })
    .max(2000, `${what} may be at most 2,000 characters`)
    .refine((u) => {
      try {
        const p = new URL(u).protocol
        return p === 'http:' || p === 'https:'
      } catch {
        return false
      }
    }, `${what} must be an http:// or https:// URL`)

const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).min(1, `${what} must not be empty`).max(MAX_LIST, `${what} may have at most ${MAX_LIST} entries`)

export const When = z
  .object({
    pages: list(z.string().min(1).max(300).regex(/^[/*]/, 'each page is a path starting with / (or *), * matches anything: "/pricing*"'), 'pages').optional(),
    min_visits: z.number().int().min(1).max(100_000).optional(),
    min_lead_score: z.number().int().min(0).max(100).optional(),
    countries: list(
      z
        .string()
        .regex(/^[A-Za-z]{2}$/, 'each country is a two-letter code')
        .transform((c) => c.toUpperCase()),
      'countries',
    ).optional(),
    industries: list(z.string().trim().min(1).max(200), 'industries').optional(),
    employees: list(z.string().trim().min(1).max(50), 'employees').optional(),
    network_types: list(z.enum(NETWORK_TYPES, { message: `each network type is one of ${NETWORK_TYPES.join(', ')}` }), 'network_types').optional(),
    tags: list(tagText, 'tags').optional(),
    status: z
      .union([z.enum(INBOX_STATUSES), z.array(z.enum(INBOX_STATUSES)).min(1).max(4)], {
        message: `status is one of ${INBOX_STATUSES.join(', ')} (or a list of them)`,
      })
      .transform((s) => (Array.isArray(s) ? s : [s]))
      .optional(),
    first_visit_only: z.boolean().optional(),
  })
  .strict()

export const Action = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('webhook'),
      url: httpUrl('url'),
      // The receiver checks X-Spoor-Signature with it; 16 characters at least, as GitHub advises for its webhooks.
      secret: z
        .string({ message: 'secret is required: the receiver checks X-Spoor-Signature with it' })
        .min(16, 'secret must be at least 16 characters')
        .max(200),
    }),
    z.object({ type: z.literal('email'), to: list(z.email({ message: 'each "to" is an e-mail address' }).max(320), 'to').max(20) }),
    z.object({ type: z.literal('slack'), url: httpUrl('url') }),
    z.object({ type: z.literal('tag'), tag: tagText }),
    z.object({
      type: z.literal('assign'),
      // Lower case, as users are stored (auth/users.ts).
      owner: z
        .email({ message: 'owner must be the e-mail address of a dashboard user' })
        .max(320)
        .transform((e) => e.toLowerCase()),
    }),
  ],
  { message: 'each action has a type: webhook, email, slack, tag or assign' },
)
export type Action = z.infer<typeof Action>
export type When = z.infer<typeof When>

const name = z.string({ message: 'name is required' }).trim().min(1, 'name must not be empty').max(200)
const actions = z.array(Action).min(1, 'actions must name at least one action').max(10, 'a trigger may have at most 10 actions')

export const TriggerBody = z
  .object({
    name,
    site: z.string({ message: 'site is required' }).max(253),
    enabled: z.boolean().default(true),
    when: When.default({}),
    actions,
  })
  .strict()

export const TriggerPatch = z.object({ name: name.optional(), enabled: z.boolean().optional(), when: When.optional(), actions: actions.optional() }).strict()

interface TriggerRow {
  id: string
  site: string
  name: string
  enabled: number
  when: string
  actions: string
  created_by: string
  created_at: string
}

const toTrigger = (r: TriggerRow): Trigger => ({
  id: r.id,
  site: r.site,
  name: r.name,
  enabled: Number(r.enabled) === 1,
  when: JSON.parse(r.when) as When,
  actions: JSON.parse(r.actions) as Action[],
  created_by: r.created_by,
  created_at: isoOf(r.created_at),
})

/** Triggers not deleted, all sites or one; `enabledOnly` for the job. */
export async function listTriggers(db: Db, opts: { site?: string; enabledOnly?: boolean } = {}): Promise<Trigger[]> {
  const rows = await db.query<TriggerRow>(
    `SELECT id, site, name, enabled, \`when\`, actions, created_by, toString(created_at) AS created_at
     FROM triggers FINAL WHERE deleted = 0 AND ({site:String} = '' OR site = {site:String}) AND ({enabledOnly:UInt8} = 0 OR enabled = 1)
     ORDER BY created_at`,
    { site: opts.site ?? '', enabledOnly: opts.enabledOnly ? 1 : 0 },
  )
  return rows.map(toTrigger)
}

export async function getTrigger(db: Db, id: string): Promise<Trigger | null> {
  const [r] = await db.query<TriggerRow>(
    'SELECT id, site, name, enabled, `when`, actions, created_by, toString(created_at) AS created_at FROM triggers FINAL WHERE id = {id:String} AND deleted = 0',
    { id },
  )
  return r ? toTrigger(r) : null
}

export async function saveTrigger(db: Db, t: Omit<Trigger, 'id' | 'created_at'> & { id?: string; created_at?: string }, deleted = false): Promise<Trigger> {
  const id = t.id ?? randomBytes(8).toString('hex')
  const created = t.created_at ?? new Date().toISOString()
  await db.insert('triggers', [
    {
      id,
      site: t.site,
      name: t.name,
      enabled: t.enabled ? 1 : 0,
      when: JSON.stringify(t.when),
      actions: JSON.stringify(t.actions),
      created_by: t.created_by,
      created_at: chTime(new Date(created)),
      deleted: deleted ? 1 : 0,
    },
  ])
  return { ...t, id, created_at: created }
}
