// The filters of the view as chips ("Source is Google ×") above the figures, and how a
// filter's dimension and values read in the chosen language.
import { DIRECT_NONE, type Filter, type FilterDimension, type Goal } from '../../../lib/api-types.ts'
import { countryName } from './i18n.ts'
import { setFilters, withoutFilter } from './state.ts'
import type { T } from './ui.tsx'

/** A value as shown: country names for codes, "Direct / None" translated. */
export function valueLabel(dim: FilterDimension, v: string, t: T): string {
  if (dim === 'country') return countryName(v)
  if (dim === 'source' && v === DIRECT_NONE) return t('directNone')
  return v
}

/** "Source is Google", "Page contains /blog", "Country is Germany or France". */
export function filterText([op, dim, values]: Filter, t: T): string {
  return `${t(`dim_${dim}`)} ${t(`op_${op}`)} ${values.map((v) => valueLabel(dim, v, t)).join(` ${t('or')} `)}`
}

/**
 * The filter that shows a goal's conversions: an event goal its event; a page goal its
 * page, or, for a pattern with *, the pages containing its longest literal part.
 */
export function goalFilter(g: Pick<Goal, 'kind' | 'match'>): Filter | null {
  if (g.kind === 'event') return ['is', 'event', [g.match]]
  if (!g.match.includes('*')) return ['is', 'page', [g.match]]
  const part = g.match.split('*').reduce((a, b) => (b.length > a.length ? b : a), '')
  return part ? ['contains', 'page', [part]] : null
}

export function FilterChips(props: { filters: Filter[]; t: T }) {
  const { filters, t } = props
  if (filters.length === 0) return null
  return (
    <div class="chips" data-testid="filters">
      {filters.map((f) => {
        const text = filterText(f, t)
        return (
          <span class="chip" key={f[1]} data-testid={`filter-${f[1]}`}>
            <span class="chip-text">{text}</span>
            <button
              type="button"
              class="link chip-x"
              aria-label={`${t('removeFilter')}: ${text}`}
              title={t('removeFilter')}
              onClick={() => setFilters(withoutFilter(filters, f[1]))}
            >
              ×
            </button>
          </span>
        )
      })}
      <button type="button" class="link" onClick={() => setFilters([])} data-testid="clear-filters">
        {t('clearFilters')}
      </button>
    </div>
  )
}
