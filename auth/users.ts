// Dashboard users, passwords and login sessions.
// Passwords: scrypt (N=2^15, r=8, p=1: about 50 ms and 32 MB per check, so a
// stolen hash costs an attacker the same). Sessions: a random 32-byte token in an
// HttpOnly, SameSite cookie; only its SHA-256 is stored.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import express, { type NextFunction, type Request, type Response, Router } from 'express'
import { z } from 'zod'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { servedOverHttps } from '../lib/origin.ts'
import { perMinute } from '../lib/rate-limit.ts'

export type Role = 'admin' | 'viewer'
export interface User {
  email: string
  role: Role
}

export const SESSION_COOKIE = 'spoor_session'
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const
const KEYLEN = 32

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))))
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, SCRYPT)
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export class Users {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>('SELECT count() AS n FROM users FINAL WHERE deleted = 0')
    return Number(rows[0]?.n ?? 0)
  }

  async find(email: string): Promise<(User & { password_hash: string }) | null> {
    const rows = await this.db.query<User & { password_hash: string }>(
      'SELECT email, role, password_hash FROM users FINAL WHERE email = {email:String} AND deleted = 0',
      { email: email.toLowerCase() },
    )
    return rows[0] ?? null
  }

  /**
   * Creates a user or sets its password and role. A new password ends the user's
   * sessions: whoever logged in with the old one (perhaps the reason for the reset) is out.
   * The same password again (ADMIN_PASSWORD at every start) keeps them.
   */
  async upsert(email: string, password: string, role: Role): Promise<void> {
    const before = await this.find(email)
    const same = before !== null && (await verifyPassword(password, before.password_hash))
    await this.db.insert('users', [{ email: email.toLowerCase(), password_hash: same ? before.password_hash : await hashPassword(password), role, deleted: 0 }])
    if (before && !same) await this.db.command('DELETE FROM auth_sessions WHERE email = {email:String}', { email: before.email })
  }

  async list(): Promise<User[]> {
    return this.db.query<User>('SELECT email, role FROM users FINAL WHERE deleted = 0 ORDER BY email')
  }

  async remove(email: string): Promise<boolean> {
    const user = await this.find(email)
    if (!user) return false
    await this.db.insert('users', [{ email: user.email, password_hash: user.password_hash, role: user.role, deleted: 1 }])
    await this.db.command('DELETE FROM auth_sessions WHERE email = {email:String}', { email: user.email })
    return true
  }

  async createSession(email: string, hours: number): Promise<{ token: string; expires: Date }> {
    const token = randomBytes(32).toString('base64url')
    const expires = new Date(Date.now() + hours * 3600_000)
    await this.db.insert('auth_sessions', [{ token_hash: sha256(token), email, expires_at: Math.floor(expires.getTime() / 1000) }])
    return { token, expires }
  }

  async userForToken(token: string): Promise<User | null> {
    const rows = await this.db.query<User>(
      `SELECT u.email AS email, u.role AS role
       FROM (SELECT email FROM auth_sessions FINAL WHERE token_hash = {h:String} AND expires_at > now()) AS s
       INNER JOIN (SELECT email, role FROM users FINAL WHERE deleted = 0) AS u ON u.email = s.email`,
      { h: sha256(token) },
    )
    return rows[0] ?? null
  }

  async endSession(token: string): Promise<void> {
    await this.db.command('DELETE FROM auth_sessions WHERE token_hash = {h:String}', { h: sha256(token) })
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: User
  }
}

/** Every dashboard API route sits behind this. */
export function requireSession(users: Users) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = req.cookies?.[SESSION_COOKIE]
    const user = typeof token === 'string' && token.length > 0 && token.length < 100 ? await users.userForToken(token) : null
    if (!user) throw new HttpError(401, 'log in first: POST /api/login with { email, password }')
    req.user = user
    next()
  }
}

/** Changing what is in force (sites, users, suppressions, erasure) is for admins. */
export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (req.user?.role !== 'admin') throw new HttpError(403, 'only an admin may do this')
  next()
}

const LoginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) })

export function authRouter(deps: { users: Users; sessionHours: number; publicUrl: string }): Router {
  const r = Router()
  // 10 attempts per minute per client network: enough for a person, too few to guess.
  const limiter = perMinute(10, 'login attempts')

  r.post('/api/login', limiter, express.json({ limit: '4kb' }), async (req, res) => {
    const parsed = LoginBody.safeParse(req.body)
    if (!parsed.success) throw new HttpError(400, 'send { "email": "...", "password": "..." } as application/json', 'body')
    const user = await deps.users.find(parsed.data.email)
    // Verify against a dummy hash when the user is unknown, so timing does not tell which e-mails exist.
    const ok = await verifyPassword(parsed.data.password, user?.password_hash ?? DUMMY_HASH)
    if (!user || !ok) throw new HttpError(401, 'wrong e-mail or password')
    const old = req.cookies?.[SESSION_COOKIE]
    if (typeof old === 'string' && old.length < 100) await deps.users.endSession(old)
    const { token, expires } = await deps.users.createSession(user.email, deps.sessionHours)
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: servedOverHttps(req, deps.publicUrl), expires, path: '/' })
    res.json({ email: user.email, role: user.role })
  })

  r.post('/api/logout', async (req, res) => {
    const token = req.cookies?.[SESSION_COOKIE]
    if (typeof token === 'string' && token.length < 100) await deps.users.endSession(token)
    res.clearCookie(SESSION_COOKIE, { path: '/' })
    res.json({ ok: true })
  })
  return r
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
