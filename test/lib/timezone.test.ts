// Local days of a site's zone as UTC instants: what every range of the stats API and
// every day sum is cut by.
import { describe, expect, it } from 'vitest'
import { startOfLocalDay, utcSpan } from '../../lib/timezone.ts'

describe('local days', () => {
  it('start at local midnight, in zones east and west of UTC and across the date line', () => {
    expect(startOfLocalDay('2024-06-01', 'UTC').toISOString()).toBe('2024-06-01T00:00:00.000Z')
    expect(startOfLocalDay('2024-06-01', 'Europe/Amsterdam').toISOString()).toBe('2024-05-31T22:00:00.000Z')
    expect(startOfLocalDay('2024-01-01', 'Europe/Amsterdam').toISOString()).toBe('2023-12-31T23:00:00.000Z')
    expect(startOfLocalDay('2024-06-01', 'America/New_York').toISOString()).toBe('2024-06-01T04:00:00.000Z')
    expect(startOfLocalDay('2024-06-01', 'Pacific/Kiritimati').toISOString()).toBe('2024-05-31T10:00:00.000Z')
    expect(startOfLocalDay('2024-06-01', 'Pacific/Chatham').toISOString()).toBe('2024-05-31T11:15:00.000Z')
  })

  it('start when the clocks say so where summer time begins at midnight (there is no 00:00 that day)', () => {
    // The Azores: 00:00 (UTC-1) jumps to 01:00 (UTC+0) on 2024-03-31.
    expect(startOfLocalDay('2024-03-31', 'Atlantic/Azores').toISOString()).toBe('2024-03-31T01:00:00.000Z')
    // Santiago: 00:00 (UTC-4) jumps to 01:00 (UTC-3) on 2024-09-08.
    expect(startOfLocalDay('2024-09-08', 'America/Santiago').toISOString()).toBe('2024-09-08T04:00:00.000Z')
    // Havana: 00:00 (UTC-5) jumps to 01:00 (UTC-4) on 2024-03-10.
    expect(startOfLocalDay('2024-03-10', 'America/Havana').toISOString()).toBe('2024-03-10T05:00:00.000Z')
  })

  it('cover the UTC days they overlap, and no other', () => {
    expect(utcSpan('2024-06-01', '2024-06-30', 'UTC')).toEqual(['2024-06-01', '2024-06-30'])
    expect(utcSpan('2024-06-01', '2024-06-30', 'Europe/Amsterdam')).toEqual(['2024-05-31', '2024-06-30'])
    expect(utcSpan('2024-06-01', '2024-06-30', 'America/New_York')).toEqual(['2024-06-01', '2024-07-01'])
    // The Azores' 2024-03-30 ends at 01:00 UTC on the 31st (its last hour is UTC-1).
    expect(utcSpan('2024-03-30', '2024-03-30', 'Atlantic/Azores')).toEqual(['2024-03-30', '2024-03-31'])
  })
})
