// Validation at the edge: the visitor-id token rule (the collector and the privacy
// routes take the same ids) and the one way a zod failure becomes a 400.
import { z } from 'zod'
import { HttpError } from './errors.ts'

// Ids are made by the beacon (32 hex characters); accept any URL-safe token of sane length.
export const TOKEN = /^[A-Za-z0-9_-]{8,64}$/
export const TOKEN_RULE = 'must be 8 to 64 letters, digits, "-" or "_"'
export const isToken = (v: unknown): v is string => typeof v === 'string' && TOKEN.test(v)

/** The first problem of a failed parse, as the field and a message that names it. */
export function describeIssue(error: z.ZodError, fallback = 'body'): { field: string; message: string } {
  const issue = error.issues[0]
  const field = issue?.path.map(String).join('.') || fallback
  const text = issue?.code === 'invalid_type' ? `has the wrong type (${issue.message})` : (issue?.message ?? 'is invalid')
  // Schemas that already name the field ("from must be YYYY-MM-DD") are not prefixed twice.
  return { field, message: text.startsWith(field) ? text : `${field} ${text}` }
}

/** A `limit` query parameter: a whole number from 1 to `max`. */
export const limitParam = (max: number) => {
  const message = `limit must be a number from 1 to ${max}`
  return z
    .string()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, message)
    .optional()
}

/** `schema`'s output for `value`, or a 400 naming the first field that is wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, fallback = 'body'): z.output<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const { field, message } = describeIssue(r.error, fallback)
  throw new HttpError(400, message, field)
}
