// The shapes every JSON route answers with, shared by the server and the web app
// (dashboard/app): no imports, so that both can read it.

/** GET /api/stats/summary */
export interface Summary {
  visitors: number
  visits: number
  pageviews: number
  bounce_rate: number
  visit_duration: number
}

/** One row of GET /api/companies */
export interface CompanyRow {
  id: string
  name: string
  domain: string
  city: string
  country: string
  industry: string
  employee_range: string
  network_type: string
  visits: number
  pageviews: number
  visitors: number
  duration: number
  first_visit: string
  last_visit: string
  pages: string[]
  lead_score: number
}

/** One row of GET /api/stats/{pages,referrers,browsers,...}. Pages carry no visits or events. */
export interface BreakdownRow {
  name: string
  visitors: number
  pageviews: number
  visits?: number
  events?: number
}

/** Why an event was answered 202 and not stored: DROP_REASONS of collector/pipeline.ts (dashboard/stats.ts checks that they match). */
export type DroppedReason = 'opted_out' | 'gpc' | 'dnt' | 'bot' | 'duplicate' | 'free_mail' | 'no_ip'

/** GET /api/stats/dropped (admins): events dropped in the range, per reason (every reason, 0 included). */
export interface DroppedStats {
  site: string
  from: string
  to: string
  total: number
  reasons: Record<DroppedReason, number>
}

/** POST /api/me/password and POST /api/users/:email/password */
export interface PasswordSet {
  email: string
  /**
   * Sessions logged out: for /api/me/password the user's sessions in other browsers
   * (this one goes on with a new cookie), for an admin's reset every session of the user.
   */
  sessions_ended: number
}
