// E-mail over SMTP (SMTP_URL, MAIL_FROM) with nodemailer: the alert e-mails of triggers
// and the digests, each with an HTML and a text part.
import nodemailer from 'nodemailer'

/** An e-mail as the deliveries table keeps it (JSON in `body`). */
export interface MailMessage {
  subject: string
  text: string
  html: string
  /** For digests: the unsubscribe link (List-Unsubscribe, with one-click POST, RFC 8058). */
  unsubscribe?: string
}

export interface Mailer {
  send(to: string, m: MailMessage): Promise<{ ok: boolean; code: number; error: string }>
  close(): void
}

const SEND_TIMEOUT_MS = 60_000

export function createMailer(smtpUrl: string, from: string): Mailer {
  // A server that does not answer is a failed attempt, retried later, not a stuck job.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }, { from })
  return {
    async send(to, m) {
      let timer: NodeJS.Timeout | undefined
      try {
        // A server that trickles its answers holds no sender for long: 60 s per message in all.
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), SEND_TIMEOUT_MS)
        })
        const info = await Promise.race([
          late,
          transport.sendMail({
            to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            headers: m.unsubscribe ? { 'List-Unsubscribe': `<${m.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined,
          }),
        ])
        const refused = info.rejected.length
        return refused ? { ok: false, code: 0, error: `the SMTP server refused ${refused} recipient(s)` } : { ok: true, code: 250, error: '' }
      } catch (err) {
        const e = err as { responseCode?: number; code?: string }
        // The code only: the server's text may quote an address.
        return { ok: false, code: e.responseCode ?? 0, error: `sending failed (${e.code ?? 'SMTP error'}${e.responseCode ? ` ${e.responseCode}` : ''})` }
      } finally {
        clearTimeout(timer)
      }
    },
    close() {
      transport.close()
    },
  }
}
