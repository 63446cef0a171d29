// Cross-site request forgery: the session cookie is SameSite=Lax, and on top of that
// every state-changing dashboard request must carry `X-Spoor-Request: 1`. A page of
// another site cannot add a custom header without a CORS preflight, which Spoor never
// grants for the dashboard API; an Origin header, when sent, must be Spoor's own.
import type { NextFunction, Request, Response } from 'express'
import { HttpError } from '../lib/errors.ts'
import { isOwnOrigin } from '../lib/origin.ts'

export const CSRF_HEADER = 'x-spoor-request'
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

export function csrfGuard(publicUrl: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE.has(req.method)) {
      next()
      return
    }
    if (req.get(CSRF_HEADER) !== '1')
      throw new HttpError(403, `state-changing requests need the header ${CSRF_HEADER}: 1 (cross-site request forgery protection)`)
    const origin = req.get('origin')
    if (origin !== undefined && !isOwnOrigin(origin, req, publicUrl)) {
      throw new HttpError(403, 'request from another origin refused (cross-site request forgery protection)')
    }
    next()
  }
}
