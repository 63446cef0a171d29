// Site domains are stored in one canonical form: lower case, no scheme, port,
// path or leading "www.", so "https://WWW.Example.com/" and "example.com" are one site.
import { isIP } from 'node:net'

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

/** A host name as compared with sites: lower case, no trailing dot, no leading "www.". */
export function bareHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^www\./, '')
}

export function normaliseDomain(input: string): string | null {
  let s = input.trim().toLowerCase()
  if (s.length === 0 || s.length > 253) return null
  s = bareHost(
    s
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
      .replace(/[/?#].*$/, '')
      .replace(/:\d+$/, ''),
  )
  if (isIP(s) !== 0) return s
  const labels = s.split('.')
  if (!labels.every((l) => LABEL.test(l))) return null
  return s
}

/** True when `host` is the site's domain itself or one of its subdomains. */
export function hostBelongsToSite(host: string, site: string): boolean {
  const h = bareHost(host)
  return h === site || h.endsWith(`.${site}`)
}
