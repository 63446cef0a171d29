// The other ends of Spoor's alerts, real and local: an HTTP receiver that checks webhook
// signatures and fails on purpose, and an SMTP server (smtp-server) whose mails are
// parsed with mailparser.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** How the receiver answers one request: a status, a status after a while, never (until the sender gives up), or a dropped connection. */
export type Answer = number | { after?: number; status: number; headers?: Record<string, string> } | 'hang' | 'reset'

export interface Received {
  headers: IncomingHttpHeaders
  raw: string
  /** Whether X-Spoor-Signature is the HMAC-SHA256 of the raw body with the receiver's secret. */
  signed: boolean
}

export interface Receiver {
  url: string
  received: Received[]
  /** Answers for the next requests, in order; 200 once they are used up. */
  answers: Answer[]
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export function verify(secret: string, raw: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false
  const want = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'))
  const got = Buffer.from(header.slice(7))
  return want.length === got.length && timingSafeEqual(want, got)
}

export async function webhookReceiver(secret = ''): Promise<Receiver> {
  const received: Received[] = []
  const answers: Answer[] = []
  const waiting: Array<{ n: number; resolve: () => void }> = []
  const hung: Array<() => void> = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      received.push({ headers: req.headers, raw, signed: verify(secret, raw, req.headers['x-spoor-signature']) })
      for (const w of waiting.filter((w) => received.length >= w.n)) w.resolve()
      const answer = answers.shift() ?? 200
      if (answer === 'reset') return void req.socket.destroy()
      if (answer === 'hang') return void hung.push(() => res.destroy())
      if (typeof answer === 'object')
        return void setTimeout(() => res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end('ok'), answer.after ?? 0)
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    waitFor: (n, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        if (received.length >= n) return resolve()
        const timer = setTimeout(() => reject(new Error(`the receiver got ${received.length} of ${n} requests within ${timeoutMs} ms`)), timeoutMs)
        waiting.push({
          n,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      }),
    close: async () => {
      for (const h of hung) h()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export interface MailBox {
  url: string
  mails: Array<ParsedMail & { envelopeTo: string[] }>
  /** Answer the next this many messages with a temporary failure (451). */
  refuse: number
  close(): Promise<void>
}

/** A real SMTP server on 127.0.0.1 that keeps what it is sent, parsed. */
export async function smtpServer(): Promise<MailBox> {
  const box: MailBox = { url: '', mails: [], refuse: 0, close: async () => {} }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      if (box.refuse > 0) {
        box.refuse--
        stream.resume()
        return void stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })))
      }
      simpleParser(stream).then(
        (mail) => {
          box.mails.push(Object.assign(mail, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }))
          callback()
        },
        (err: Error) => callback(err),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  box.url = `smtp://127.0.0.1:${port}`
  box.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return box
}
