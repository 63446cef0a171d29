// Dashboard users, passwords (the user's own change, an admin's reset, the first
// admin's printed ones) and login sessions.
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
import type { Me, Ok, PasswordSet, Role, User } from '../lib/api-types.ts'

export type { Role, User }

export const SESSION_COOKIE = 'spoor_session'
/** The admin Spoor creates when it starts without ADMIN_EMAIL and without users. */
export const FIRST_ADMIN = 'admin@spoor.localhost'
// Printed first-login passwords a login tries, newest first: processes that start
// together plus a few restarts. 5 scrypt checks cost about 250 ms at a wrong password.
const FIRST_LOGIN_TRIED = 5
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

/** New passwords, wherever they are set: at least 8 characters, at most 1,000. */
export const NewPassword = z
  .string({ message: 'password is required: at least 8 characters' })
  .min(8, 'password must be at least 8 characters')
  .max(1000, 'password must be at most 1,000 characters')

type Stored = User & { password_hash: string; awaiting_first_login: number }

export class Users {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>('SELECT count() AS n FROM users FINAL WHERE deleted = 0')
    return Number(rows[0]?.n ?? 0)
  }

  async find(email: string): Promise<Stored | null> {
    const rows = await this.db.query<Stored>(
      'SELECT email, role, password_hash, awaiting_first_login FROM users FINAL WHERE email = {email:String} AND deleted = 0',
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
    if (before && !same) {
      await this.forgetPrinted(before)
      await this.endSessions(before.email)
    }
  }

  /**
   * The user whose password this is, or null. An unknown e-mail costs a check against a
   * dummy hash too, so that timing does not tell which e-mails exist. The admin awaiting
   * its first login (sql/015) also takes any password a start printed for it; that login
   * makes the one used its password, and the others stop working.
   */
  async check(email: string, password: string): Promise<User | null> {
    const user = await this.find(email)
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH)
    if (!user) return null
    if (ok) return { email: user.email, role: user.role }
    if (!user.awaiting_first_login) return null
    const printed = await this.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM first_login_passwords WHERE email = {email:String} ORDER BY created_at DESC LIMIT {n:UInt32}',
      { email: user.email, n: FIRST_LOGIN_TRIED },
    )
    for (const p of printed) {
      if (!(await verifyPassword(password, p.password_hash))) continue
      await this.db.insert('users', [{ email: user.email, password_hash: p.password_hash, role: user.role, deleted: 0, awaiting_first_login: 0 }])
      await this.db.command('DELETE FROM first_login_passwords WHERE email = {email:String}', { email: user.email })
      return { email: user.email, role: user.role }
    }
    return null
  }

  /**
   * A new password to print for the admin Spoor creates when it starts without
   * ADMIN_EMAIL: the admin is created (awaiting its first login) if there are no users
   * at all, and gets a new password at every start until that login; null after it.
   * Only the hash is stored. Processes starting together each add their own, and all
   * of them work until the first login, so no process prints one that another undid.
   */
  async firstLoginPassword(email: string): Promise<string | null> {
    if ((await this.count()) === 0) await this.db.insert('users', [{ email, password_hash: '', role: 'admin', deleted: 0, awaiting_first_login: 1 }])
    const user = await this.find(email)
    if (!user?.awaiting_first_login) return null
    const password = randomBytes(12).toString('base64url')
    await this.db.insert('first_login_passwords', [{ email: user.email, password_hash: await hashPassword(password) }])
    return password
  }

  /**
   * Sets a user's password and ends all their sessions (whoever knew the old one is out);
   * answers how many sessions were live, or null when there is no such user.
   */
  async setPassword(email: string, password: string): Promise<number | null> {
    const user = await this.find(email)
    if (!user) return null
    await this.db.insert('users', [{ email: user.email, password_hash: await hashPassword(password), role: user.role, deleted: 0 }])
    await this.forgetPrinted(user)
    return this.endSessions(user.email)
  }

  /** Ends every session of a user; answers how many were live. */
  async endSessions(email: string): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(
      'SELECT count() AS n FROM auth_sessions FINAL WHERE email = {email:String} AND expires_at > now()',
      { email },
    )
    await this.db.command('DELETE FROM auth_sessions WHERE email = {email:String}', { email })
    return Number(rows[0]?.n ?? 0)
  }

  // A password set some other way ends the wait for the first login (the row written has
  // awaiting_first_login = 0): the printed ones must not come back if the wait ever did.
  private async forgetPrinted(user: Stored): Promise<void> {
    if (user.awaiting_first_login) await this.db.command('DELETE FROM first_login_passwords WHERE email = {email:String}', { email: user.email })
  }

  async list(): Promise<User[]> {
    return this.db.query<User>('SELECT email, role FROM users FINAL WHERE deleted = 0 ORDER BY email')
  }

  async remove(email: string): Promise<boolean> {
    const user = await this.find(email)
    if (!user) return false
    await this.db.insert('users', [{ email: user.email, password_hash: user.password_hash, role: user.role, deleted: 1 }])
    await this.forgetPrinted(user)
    await this.endSessions(user.email)
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
const PasswordChange = z.object({
  current: z.string({ message: 'current is required: your password now' }).min(1, 'current is required: your password now').max(1000),
  password: NewPassword,
})

interface SessionDeps {
  users: Users
  sessionHours: number
  publicUrl: string
}

async function startSession(req: Request, res: Response, deps: SessionDeps, email: string): Promise<void> {
  const { token, expires } = await deps.users.createSession(email, deps.sessionHours)
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: servedOverHttps(req, deps.publicUrl), expires, path: '/' })
}

export function authRouter(deps: SessionDeps): Router {
  const r = Router()
  // 10 attempts per minute per client network: enough for a person, too few to guess.
  const limiter = perMinute(10, 'login attempts', { failedOnly: true })

  r.post('/api/login', limiter, express.json({ limit: '4kb' }), async (req, res) => {
    const parsed = LoginBody.safeParse(req.body)
    if (!parsed.success) throw new HttpError(400, 'send { "email": "...", "password": "..." } as application/json', 'body')
    const user = await deps.users.check(parsed.data.email, parsed.data.password)
    if (!user) throw new HttpError(401, 'wrong e-mail or password')
    const old = req.cookies?.[SESSION_COOKIE]
    if (typeof old === 'string' && old.length < 100) await deps.users.endSession(old)
    await startSession(req, res, deps, user.email)
    res.json({ email: user.email, role: user.role } satisfies Me)
  })

  r.post('/api/logout', async (req, res) => {
    const token = req.cookies?.[SESSION_COOKIE]
    if (typeof token === 'string' && token.length < 100) await deps.users.endSession(token)
    res.clearCookie(SESSION_COOKIE, { path: '/' })
    res.json({ ok: true } satisfies Ok)
  })
  return r
}

/** The logged-in user's own account; mounted behind requireSession and the CSRF guard. */
export function accountRouter(deps: SessionDeps): Router {
  const r = Router()
  // As for the login (10 a minute per client network): `current` is a password to guess
  // for whoever holds a session but not the password.
  const limiter = perMinute(10, 'password attempts', { failedOnly: true })

  /**
   * Ends every session of the user, this one too, and answers with a new session cookie:
   * the user stays logged in here, and a copy of this browser's old cookie is worthless.
   */
  r.post('/api/me/password', limiter, express.json({ limit: '4kb' }), async (req, res) => {
    const b = PasswordChange.safeParse(req.body)
    if (!b.success) {
      const issue = b.error.issues[0]
      const field = issue?.path[0]
      if (!issue || field === undefined) throw new HttpError(400, 'send { "current": "...", "password": "..." } as application/json', 'body')
      throw new HttpError(400, issue.message, String(field))
    }
    const me = req.user!
    // 403, not 401: 401 says "no session" (the app would show the login), and the session is fine.
    if (!(await deps.users.check(me.email, b.data.current))) throw new HttpError(403, 'the current password is wrong', 'current')
    if (b.data.password === b.data.current) throw new HttpError(400, 'the new password is the current one', 'password')
    const ended = await deps.users.setPassword(me.email, b.data.password)
    await startSession(req, res, deps, me.email)
    res.json({ email: me.email, sessions_ended: Math.max(0, (ended ?? 0) - 1) } satisfies PasswordSet)
  })
  return r
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
