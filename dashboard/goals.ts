// Goals of a site (sql/016): a custom event name, or a page path pattern in which *
// stands for any characters (/blog/* or */pricing). Conversions are counted over visit
// rows in dashboard/stats.ts; the conditions are built here, values always bound.
import { likePattern } from '../lib/pages.ts'
import { randomBytes } from 'node:crypto'
import express, { Router } from 'express'
import { z } from 'zod'
import { requireAdmin } from '../auth/users.ts'
import type { Goal, GoalList, Ok } from '../lib/api-types.ts'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import type { Sites } from '../lib/sites.ts'
import { parseOr400 } from '../lib/validate.ts'

// Plausible's limit is in the hundreds; each goal is two aggregate columns of one query.
export const MAX_GOALS = 100

const GoalBody = z.object({
  kind: z.enum(['event', 'page'], { message: 'kind must be "event" (a custom event name) or "page" (a page path pattern)' }),
  match: z
    .string({ message: 'match is required: the event name, or a path such as /pricing or /blog/*' })
    .trim()
    .min(1, 'match must not be empty')
    .max(500, 'match may be at most 500 characters'),
})

/** The goals of {site}: id, kind, match. */
export const GOALS_OF_SITE = 'SELECT id, kind, match FROM goals FINAL WHERE site = {site:String} AND deleted = 0'

/** The order goals are listed in: by kind, then match (bytewise). */
export const byKindAndMatch = (a: Goal, b: Goal) => Buffer.compare(Buffer.from(`${a.kind}\0${a.match}`), Buffer.from(`${b.kind}\0${b.match}`))

export async function listGoals(db: Db, site: string): Promise<Goal[]> {
  return (await db.query<Goal>(GOALS_OF_SITE, { site })).sort(byKindAndMatch)
}

/**
 * SQL for goal `g`, bound as {name:String}: on a visit row, whether it converted and how
 * many times; on one event name or page `value` (the sums per day), whether it matches.
 */
export function goalCondition(g: Goal, name: string): { visit: string; count: string; value: (v: string) => string; param: string } {
  if (g.kind === 'event')
    return {
      visit: `has(events, {${name}:String})`,
      count: `arrayCount(e -> e = {${name}:String}, events)`,
      value: (v) => `${v} = {${name}:String}`,
      param: g.match,
    }
  return {
    visit: `arrayExists(p -> p LIKE {${name}:String}, pages)`,
    count: `arrayCount(p -> p LIKE {${name}:String}, pages)`,
    value: (v) => `${v} LIKE {${name}:String}`,
    param: likePattern(g.match),
  }
}

export function goalsRouter(deps: { db: Db; sites: Sites }): Router {
  const r = Router()
  r.get('/api/sites/:site/goals', async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    res.json({ site, results: await listGoals(deps.db, site) } satisfies GoalList)
  })
  r.post('/api/sites/:site/goals', requireAdmin, express.json({ limit: '4kb' }), async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    const b = parseOr400(GoalBody, req.body)
    const goals = await listGoals(deps.db, site)
    if (b.kind === 'page' && !b.match.startsWith('/') && !b.match.startsWith('*'))
      throw new HttpError(400, 'a page goal is a path: it starts with / (or *), such as /pricing or /blog/*', 'match')
    const same = goals.find((g) => g.kind === b.kind && g.match === b.match)
    if (same) throw new HttpError(409, `${site} already has this goal`, 'match')
    if (goals.length >= MAX_GOALS) throw new HttpError(400, `a site may have at most ${MAX_GOALS} goals`, 'match')
    const goal: Goal = { id: randomBytes(8).toString('hex'), kind: b.kind, match: b.match }
    await deps.db.insert('goals', [{ site, ...goal }])
    res.status(201).json(goal satisfies Goal)
  })
  r.delete('/api/sites/:site/goals/:id', requireAdmin, async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    const goal = (await listGoals(deps.db, site)).find((g) => g.id === req.params.id)
    if (!goal) throw new HttpError(404, 'no such goal', 'id')
    await deps.db.insert('goals', [{ site, ...goal, deleted: 1 }])
    res.json({ ok: true } satisfies Ok)
  })
  return r
}
