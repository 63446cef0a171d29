// `?filters=` of the stats API: parsed once at the edge into Filter[], then turned
// into conditions on visit rows (aggregates/visits.ts). Values are always bound
// ({fN:Array(String)}), never written into the SQL.
import { z } from 'zod'
import { DIRECT_NONE, FILTER_DIMENSIONS, FILTER_OPERATORS, type Filter, type FilterDimension } from '../lib/api-types.ts'
import { HttpError } from '../lib/errors.ts'

export const OPERATORS = FILTER_OPERATORS
export const DIMENSIONS = FILTER_DIMENSIONS

export const MAX_FILTERS = 10
export const MAX_VALUES = 50
export const MAX_VALUE_BYTES = 1024

const FilterSchema = z.tuple(
  [
    z.enum(OPERATORS, { message: `the operator must be one of ${OPERATORS.join(', ')}` }),
    z.enum(DIMENSIONS, { message: `the dimension must be one of ${DIMENSIONS.join(', ')}` }),
    z
      .array(
        z
          .string({ message: 'each value must be a string' })
          .min(1, 'a value must not be empty')
          .refine((v) => Buffer.byteLength(v) <= MAX_VALUE_BYTES, `a value may be at most ${MAX_VALUE_BYTES} bytes`),
        { message: 'the values must be an array of strings' },
      )
      .min(1, 'a filter needs at least one value')
      .max(MAX_VALUES, `a filter may have at most ${MAX_VALUES} values`),
  ],
  { message: 'each filter must be [operator, dimension, [values]]' },
)

const FiltersSchema = z
  .array(FilterSchema, { message: 'filters must be a JSON array of [operator, dimension, [values]]' })
  .max(MAX_FILTERS, `at most ${MAX_FILTERS} filters`)

/** The `filters` query parameter (absent: none), or a 400 that names what is wrong. */
export function parseFilters(raw: unknown): Filter[] {
  if (raw === undefined || raw === '') return []
  if (typeof raw !== 'string') throw new HttpError(400, 'filters must be given once, as a JSON array', 'filters')
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new HttpError(400, 'filters must be JSON, such as [["is","source",["Google"]]]', 'filters')
  }
  const r = FiltersSchema.safeParse(json)
  if (r.success) return r.data as Filter[]
  const issue = r.error.issues[0]
  const at = issue?.path.length ? `[${issue.path.map(String).join('][')}]` : ''
  throw new HttpError(400, `filters${at}: ${issue?.message ?? 'is invalid'}`, 'filters')
}

// Case-insensitive dimensions: the sources list merges spellings ("google", "Google").
const FOLDED: ReadonlySet<FilterDimension> = new Set(['source', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'])

export interface FilterSql {
  /** Conditions on a visit row, ANDed ('1' for none). */
  where: string
  /** A condition on one page `p`, when page filters are given: which page views count. */
  page: ((p: string) => string) | null
  /** The same for one custom event name. */
  event: ((e: string) => string) | null
  params: Record<string, string[]>
}

/** One value test of `x` against bound list `{name}`: `is` / `contains`, before negation. */
function test(op: Filter[0], x: string, name: string, folded: boolean): string {
  if (op === 'contains') return `multiSearchAnyCaseInsensitiveUTF8(${x}, {${name}:Array(String)})`
  return folded ? `lower(${x}) IN {${name}:Array(String)}` : `${x} IN {${name}:Array(String)}`
}

export function filterSql(filters: readonly Filter[]): FilterSql {
  const where: string[] = []
  const pageTests: Array<(p: string) => string> = []
  const eventTests: Array<(e: string) => string> = []
  const params: Record<string, string[]> = {}
  filters.forEach(([op, dim, values], i) => {
    const name = `f${i}`
    const folded = FOLDED.has(dim)
    // Direct / None is the empty source.
    const vs = values.map((v) => (dim === 'source' && v === DIRECT_NONE ? '' : v))
    params[name] = folded && op !== 'contains' ? vs.map((v) => v.toLowerCase()) : vs
    const negate = (c: string) => (op === 'is_not' ? `NOT (${c})` : c)
    if (dim === 'page' || dim === 'event') {
      const one = (x: string) => test(op, x, name, false)
      // A visit matches when it saw such a page (is, contains) or none (is_not).
      where.push(negate(`arrayExists(x -> ${one('x')}, ${dim === 'page' ? 'pages' : 'events'})`))
      ;(dim === 'page' ? pageTests : eventTests).push((x) => negate(one(x)))
      return
    }
    where.push(negate(test(op, dim, name, folded)))
  })
  const all = (tests: Array<(x: string) => string>) => (tests.length ? (x: string) => tests.map((t) => t(x)).join(' AND ') : null)
  return { where: where.length ? where.join(' AND ') : '1', page: all(pageTests), event: all(eventTests), params }
}
