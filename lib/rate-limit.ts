// Per-client-network limits (express-rate-limit groups IPv6 clients by /56), answered
// through the one error handler as a 429 that says when to try again.
import { rateLimit } from 'express-rate-limit'
import { HttpError } from './errors.ts'

export function perMinute(limit: number, what: string) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, `too many ${what}; wait a minute and try again`)),
  })
}
