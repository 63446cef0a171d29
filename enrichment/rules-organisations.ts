// TEMPORARY STUB (replaced by the curated organisation list)
export type OrgType = 'business' | 'education' | 'government'
export const ORGANISATION_ASNS: ReadonlyMap<number, { type: OrgType; name: string }> = new Map([[714, { type: 'business', name: 'Apple' }]])
