// Per-client-network limits: an IPv4 client counts with its /24, an IPv6 client with
// its /48 (the networks company recognition works with too), so that a client cannot
// step around a limit by taking the next address. Answered through the one error type
// as a 429 that says when to try again.
import { rateLimit } from 'express-rate-limit'
import { BoundedKeys } from './bounded.ts'
import { networkOf, networkWords, parseIp } from './ip.ts'
import { HttpError } from './errors.ts'

/** The /24 or /48 of a client address; an address that is none counts as one unnamed network. */
export function clientNetwork(ip: string | undefined): string {
  const parsed = ip ? parseIp(ip) : null
  return parsed ? networkOf(parsed) : 'unknown'
}

const tooMany = (what: string, limit: number, retryAfterS: number) =>
  new HttpError(429, `too many ${what} from your network (at most ${limit} a minute); try again in ${retryAfterS} s`, undefined, {
    'Retry-After': String(retryAfterS),
  })

/**
 * Middleware: at most `limit` requests a minute per client network. `failedOnly`: only
 * answers of 400 and above count (password guesses), so that an office of 20 behind one
 * address can all log in at nine.
 */
export function perMinute(limit: number, what: string, opts: { failedOnly?: boolean } = {}) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    skipSuccessfulRequests: opts.failedOnly ?? false,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => clientNetwork(req.ip),
    // The key is already a network (express-rate-limit's own IPv6 grouping is /56).
    validate: { keyGeneratorIpFallback: false },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime
      next(tooMany(what, limit, Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000))))
    },
  })
}

/**
 * The same limit for a handler that is no middleware (the event endpoint), without a
 * promise per request: a fixed one-minute window per network. The networks are kept in
 * two generations of at most 50,000 in typed arrays (BoundedKeys, lib/bounded.ts)
 * rather than in express-rate-limit's memory store, which keeps every network of the
 * last two minutes: a flood from many networks would grow it without bound (at 10,000
 * events a second from new networks, over a million entries).
 */
export class NetworkLimit {
  // Per network: [count, window end in ms].
  private readonly windows = new BoundedKeys(50_000, 2)
  private readonly key = new Uint32Array(2)
  constructor(
    readonly limit: number,
    readonly what: string,
  ) {}

  /** Counts one request of `ip`'s network; throws the 429 when the network is over its limit. */
  take(ip: string, now = Date.now()): void {
    networkWords(parseIp(ip), this.key)
    const s = this.windows.insert(this.key[0]!, this.key[1]!)
    const w = this.windows.values
    if (now >= w[2 * s + 1]!) {
      w[2 * s] = 0
      w[2 * s + 1] = now + 60_000
    }
    if (++w[2 * s]! > this.limit) throw tooMany(this.what, this.limit, Math.max(1, Math.ceil((w[2 * s + 1]! - now) / 1000)))
  }
}
