// The collector's edge: one schema for the beacon's body, with a limit on every string.
import { z } from 'zod'
import { HttpError } from '../lib/errors.ts'
import { parseOr400, TOKEN, TOKEN_RULE } from '../lib/validate.ts'

const token = z.string().regex(TOKEN, TOKEN_RULE)

// Parsed here, once: the pipeline takes its path and UTM parameters from this URL.
const httpUrl = z
  .string()
  .max(4096, 'is longer than 4096 characters')
  .transform((s, ctx) => {
    // new URL, not URL.parse: that came with Node 20.18 and package.json allows 20.11.
    try {
      if (/^https?:\/\//i.test(s)) return new URL(s)
    } catch {
      // not a URL
    }
    ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' })
    return z.NEVER
  })

// Text a browser sends may hold a lone UTF-16 surrogate (a string cut in the middle of
// an emoji, or sent on purpose). JSON allows it, ClickHouse refuses it, and one such row
// would make the whole batch fail on every retry (found by test/collector/fuzz.test.ts).
// It becomes U+FFFD, as a browser's TextEncoder would make it. (String.prototype
// .toWellFormed is in Node 20 but not in TypeScript's ES2023 library.)
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
export const wellFormed = (s: string) => s.replace(LONE_SURROGATE, '\ufffd')
const text = (max: number, message?: string) => z.string().max(max, message).transform(wellFormed)

// Custom event properties are labels (a plan, a button), not documents: 10 of them, a
// key of 64 characters and a value of 500 at most (Plausible allows 30, 300 and 2,000;
// review measured 150 MB of disk in 11 s from events filled to the old limits).
const propValue = z.union([text(500, 'is longer than 500 characters'), z.number().finite(), z.boolean()])

export const EventBody = z
  .object({
    site: z.string().min(1, 'is required').max(253, 'is longer than 253 characters'),
    // 'form': a form was submitted; only the e-mail domain travels (company recognition).
    type: z.enum(['pageview', 'event', 'form']).default('pageview'),
    url: httpUrl,
    // Referrers are untrusted and sometimes odd (android-app://...): any string, parsed later.
    referrer: text(4096, 'is longer than 4096 characters').optional(),
    // Titles are cut, not refused: a long title is not a malformed event. 300 characters
    // hold any title a browser tab shows.
    title: z
      .string()
      .max(8192)
      .optional()
      .transform((t) => wellFormed((t ?? '').slice(0, 300))),
    // UInt16 column: no screen is wider than 65,535 px.
    screen: z.number().int().min(0).max(65_535).optional(),
    consent: z.object({ analytics: z.boolean() }).optional(),
    vid: token,
    sid: token,
    id: token,
    name: text(120, 'is longer than 120 characters').pipe(z.string().min(1)).optional(),
    domain: z
      .string()
      .max(253, 'is longer than 253 characters')
      .regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,63}\.?$/, 'must be a domain name (the part after @)')
      .optional(),
    props: z
      .record(z.string().min(1).max(64, 'has a key longer than 64 characters').transform(wellFormed), propValue)
      .refine((p) => Object.keys(p).length <= 10, 'has more than 10 keys')
      .optional(),
  })
  .refine((b) => b.type !== 'event' || b.name !== undefined, { message: 'is required for custom events', path: ['name'] })
  .refine((b) => b.type !== 'form' || b.domain !== undefined, { message: 'is required for form submissions', path: ['domain'] })

export type EventBody = z.infer<typeof EventBody>

/**
 * The beacon's parsed body as an object, or the error a sender can act on: 415 when
 * no JSON parser took it (another content type), 400 when it is no object or empty
 * (an empty body parses to {}: say so rather than "site is required").
 */
export function beaconObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined) throw new HttpError(415, `send the ${what} as application/json or text/plain`)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, `body must be a JSON object describing the ${what}`, 'body')
  // At least one key (without building the array of them).
  for (const _ in body) return body as Record<string, unknown>
  throw new HttpError(400, `body must be a JSON object describing the ${what}`, 'body')
}

export function parseEventBody(body: unknown): EventBody {
  return parseOr400(EventBody, beaconObject(body, 'event'))
}
