// Free-mail domains (gmail.com, outlook.com, ziggo.nl …: 8,760 from the email-providers
// package) say nothing about a company: a form domain among them is never stored.
import { createRequire } from 'node:module'
import { getDomain } from 'tldts'

const FREE_MAIL = new Set<string>(createRequire(import.meta.url)('email-providers/all.json') as string[])

/** The registrable domain of a submitted e-mail domain, or null when it is not one. */
export function registrableDomain(domain: string): string | null {
  const d = getDomain(domain.trim().toLowerCase().replace(/\.$/, ''))
  return d?.includes('.') ? d : null
}

export function isFreeMail(domain: string): boolean {
  return FREE_MAIL.has(domain)
}
