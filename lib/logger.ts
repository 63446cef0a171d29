import { pino } from 'pino'

export type Logger = pino.Logger

// Nothing IP-like may reach the logs (privacy policy: the full IP never leaves the
// database). Code never passes an IP to the logger; redact is the second line of defence.
const REDACT = [
  'ip',
  '*.ip',
  'ips',
  'remoteAddress',
  '*.remoteAddress',
  'req.headers',
  'headers["x-forwarded-for"]',
  'password',
  '*.password',
  'cookie',
  '*.cookie',
]

/** To stdout; tests pass a destination to read what an operator would see. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, destination)
}
