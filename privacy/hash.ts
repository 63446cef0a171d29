// The one way a visitor id is kept where the id itself must not be: opt-out list,
// audit log, erasure records. SHA-256 of a random 128-bit id cannot be turned back.
import { createHash } from 'node:crypto'

export const vidHash = (vid: string) => createHash('sha256').update(`spoor-vid:${vid}`).digest('hex')
