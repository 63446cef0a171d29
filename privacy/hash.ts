// The one way a visitor id is kept where the id itself must not be: opt-out list,
// audit log, erasure records. SHA-256 of a random 128-bit id cannot be turned back.
import { hash } from 'node:crypto'

// crypto.hash: the one-shot form, about twice as fast as createHash for short input;
// the collector asks for every event (is this visitor opted out?).
export const vidHash = (vid: string) => hash('sha256', `spoor-vid:${vid}`, 'hex')
