// How an event's source is decided (collector/sources.ts), one rule a test. That the
// collector stores it is tested through the real app in event.test.ts.
import { describe, expect, it } from 'vitest'
import { parsePageUrl, referrerSource } from '../../collector/parse.ts'
import { databaseSize, referrerGroup, sourceOf } from '../../collector/sources.ts'

/** The source of a page view of example.com, computed as the collector's enrich step does. */
function source(url: string, referrer = ''): string {
  const u = new URL(url)
  const page = parsePageUrl(u, [])
  return sourceOf(u, page.utm_source, referrerSource(referrer, 'example.com', page.hostname))
}

const HOME = 'https://example.com/'

describe('the referrer database', () => {
  it('is loaded from the package: thousands of hosts, hundreds of group names', () => {
    expect(databaseSize.hosts).toBeGreaterThan(1000)
    expect(databaseSize.names).toBeGreaterThan(300)
  })

  it.each([
    ['https://www.google.com/search?q=spoor', 'Google'],
    ['https://www.google.co.uk/', 'Google'],
    ['https://www.bing.com/search?q=spoor', 'Bing'],
    ['https://duckduckgo.com/', 'DuckDuckGo'],
    ['https://www.linkedin.com/feed/', 'LinkedIn'],
    ['https://www.facebook.com/', 'Facebook'],
    ['https://twitter.com/spoor', 'Twitter'],
    ['https://x.com/spoor', 'Twitter'],
    ['https://www.instagram.com/', 'Instagram'],
    ['https://mail.google.com/mail/u/0/', 'Gmail'],
    ['https://search.yahoo.com/search?p=spoor', 'Yahoo!'],
    ['https://news.ycombinator.com/item?id=1', 'Hacker News'],
    ['https://www.reddit.com/r/selfhosted/', 'Reddit'],
  ])('names the group of %s as users know it: %s', (referrer, name) => {
    expect(source(HOME, referrer)).toBe(name)
  })

  it.each([
    ['android-app://com.google.android.googlequicksearchbox/https/www.google.com', 'Google'],
    ['android-app://com.linkedin.android', 'LinkedIn'],
    ['android-app://com.google.android.gm/', 'Gmail'],
  ])('groups the app referrer %s with its web source: %s', (referrer, name) => {
    expect(source(HOME, referrer)).toBe(name)
  })

  it.each([
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com', 'Facebook'],
    ['https://lm.facebook.com/l.php', 'Facebook'],
    ['https://lnkd.in/abc123', 'LinkedIn'],
    ['https://t.co/abc123', 'Twitter'],
  ])('groups the link shortener or shim %s with its network: %s', (referrer, name) => {
    expect(source(HOME, referrer)).toBe(name)
  })

  it('falls back to the parent domains down to the registrable one (m.youtube.com is youtube.com)', () => {
    // The database spells it Youtube.
    expect(source(HOME, 'https://m.youtube.com/watch?v=1')).toBe('Youtube')
    expect(source(HOME, 'https://gist.github.com/someone')).toBe('GitHub')
  })

  it('takes the override table first for hosts the database misses (threads.com)', () => {
    expect(source(HOME, 'https://www.threads.com/@spoor')).toBe('Threads')
    expect(source(HOME, 'https://www.threads.net/@spoor')).toBe('Threads')
  })

  it('keeps an unknown referrer host, without www., as its own source', () => {
    expect(source(HOME, 'https://www.unknown-blog.example.net/post')).toBe('unknown-blog.example.net')
    expect(source(HOME, 'android-app://org.example.reader')).toBe('org.example.reader')
    expect(source(HOME, 'https://203.0.113.9/')).toBe('203.0.113.9')
  })
})

describe('precedence: utm_source, then ?ref=, then ?source=, then the referrer', () => {
  it('takes utm_source over ref, source and the referrer', () => {
    expect(source(`${HOME}?source=c&ref=b&utm_source=a`, 'https://www.google.com/')).toBe('a')
  })

  it('takes ?ref= over ?source= and the referrer', () => {
    expect(source(`${HOME}?source=c&ref=b`, 'https://www.google.com/')).toBe('b')
  })

  it('takes ?source= over the referrer', () => {
    expect(source(`${HOME}pricing?source=c#top`, 'https://www.google.com/')).toBe('c')
  })

  it('passes over a parameter that is empty or blank', () => {
    expect(source(`${HOME}?utm_source=&ref=%20%20&source=c`)).toBe('c')
    expect(source(`${HOME}?utm_source=`, 'https://www.bing.com/')).toBe('Bing')
  })

  it('ignores other query parameters that only look alike', () => {
    expect(source(`${HOME}?referrer=x&sources=y&utm_source_x=z`, 'https://duckduckgo.com/')).toBe('DuckDuckGo')
  })
})

describe('tagged sources', () => {
  it('keeps the value as given, trimmed, in its case', () => {
    expect(source(`${HOME}?utm_source=%20Newsletter%20`)).toBe('Newsletter')
    expect(source(`${HOME}?ref=producthunt`)).toBe('producthunt')
  })

  it('cuts the value to 200 characters', () => {
    expect(source(`${HOME}?ref=${'x'.repeat(300)}`)).toBe('x'.repeat(200))
  })

  it('spells a value the way the database names its group, in any case (google, GOOGLE → Google)', () => {
    expect(source(`${HOME}?utm_source=google`)).toBe('Google')
    expect(source(`${HOME}?utm_source=GOOGLE`)).toBe('Google')
    expect(source(`${HOME}?ref=linkedin`)).toBe('LinkedIn')
  })

  it('takes the names the database gives for tagged links (?ref=bsky → Bluesky)', () => {
    expect(source(`${HOME}?ref=bsky`)).toBe('Bluesky')
  })

  it('invents no alias the database lacks (fb stays fb)', () => {
    expect(source(`${HOME}?utm_source=fb`)).toBe('fb')
  })
})

describe('Direct / None', () => {
  it('is the empty source: no referrer and no tag', () => {
    expect(source(HOME)).toBe('')
    expect(source(`${HOME}?page=2`)).toBe('')
  })

  it('is what navigation within the site is, subdomains included', () => {
    expect(source(`${HOME}pricing`, 'https://example.com/')).toBe('')
    expect(source(`${HOME}pricing`, 'https://www.example.com/')).toBe('')
    expect(source(`${HOME}pricing`, 'https://blog.example.com/post')).toBe('')
  })

  it('is what a referrer of another scheme is (file:, about:)', () => {
    expect(source(HOME, 'file:///home/me/page.html')).toBe('')
    expect(source(HOME, 'about:blank')).toBe('')
  })
})

describe('hostile input never throws', () => {
  it('answers a garbage referrer with Direct / None', () => {
    for (const referrer of ['not a url', 'http://', 'https://[::1', '\u0000\ud800', 'https://%%%/', 'android-app://']) {
      expect(() => source(HOME, referrer)).not.toThrow()
    }
    expect(source(HOME, 'not a url')).toBe('')
  })

  it('answers a very long host with the host cut, not an error', () => {
    const label = 'a'.repeat(63)
    const host = Array.from({ length: 8 }, () => label).join('.')
    expect(source(HOME, `https://${host}.com/`)).toBe(`${host}.com`.slice(0, 253))
    expect(referrerGroup('x'.repeat(10_000))).toBe('x'.repeat(10_000))
  })

  it('answers odd hosts and tags without throwing', () => {
    for (const host of ['.', '..', 'a..b', '.com', 'com.', '-.-', '\u0000', 'xn--', '1.2.3.4.5', 'bsky', 'co.uk']) {
      expect(() => referrerGroup(host)).not.toThrow()
    }
    expect(() => source(`${HOME}?utm_source=%FF%FE&ref=%00`)).not.toThrow()
    expect(() => source(`${HOME}?${'ref=x&'.repeat(500)}`)).not.toThrow()
  })
})
