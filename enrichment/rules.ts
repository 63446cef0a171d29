// Word rules on network owner names, for the owners the curated AS lists
// (rules-data.ts) do not know. Every rule matches whole words only: a naive substring
// match calls Abbott a bot, Campbell a camp, "Hostess Brands" a host and Cloudera a cloud.
// Order matters and is privacy first: mobile, hosting, access ISP and pool labels are
// tried before anything can make a company.

/** Builds a case-insensitive whole-word pattern; words may contain regex syntax. */
const words = (list: string[]) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${list.join('|')})(?![\\p{L}\\p{N}])`, 'iu')

// biome-ignore format: a word list reads best packed, several to a line
export const MOBILE_WORDS = words([
  'mobile', 'mobil', 'mobilfunk', 'mobility', 'mobiles', 'móvil', 'movil', 'móveis', 'wireless', 'cellular', 'cellcom', 'gsm', 'lte', '[345]g', 'umts', 'mvno',
])

// Carrier brands that name no trade in their name ("MTN Congo", "Vodacom", "Digicel"),
// worldwide; each is a whole word and none is an ordinary word of other companies' names.
// biome-ignore format: a word list reads best packed, several to a line
export const CARRIER_BRANDS = words([
  'mtn', 'airtel', 'vodacom', 'vodafone', 'digicel', 'ooredoo', 'indosat', 'telkomsel', 'safaricom', 'etisalat', 'zain', 'viettel', 'movistar', 'claro',
  'tigo', 'millicom', 'telcel', 'ufone', 'grameenphone', 'banglalink', 'turkcell', 'beeline', 'megafon', 'kyivstar', 'lycamobile', 'lebara', 'telenor',
  'telia', 'tele2', 'hutchison', 'iliad', 'proximus', 'swisscom', 'globacom', 'africell', 'unitel', 'econet', 'mascom', 'libertel', 'ziggo', 'kpn',
  'comcast', 'verizon', 'xfinity', 'spectrum', 'rostelecom', 'chinanet', 'unicom', 'odido', 'telstra', 'optus', 'jio', 'bsnl',
])

// biome-ignore format: a word list reads best packed, several to a line
export const HOSTING_WORDS = words([
  'hosting', 'hoster', 'webhosting', 'webhost', 'host', 'hosts', 'hosted', 'vps', 'vds', 'dedicated', 'servers?', 'serverhosting', 'cloud', 'clouds',
  'data ?cent(?:er|re)s?', 'datacent(?:er|re)s?', 'rechenzentrum', 'colo', 'colocation', 'cdn', 'content delivery', 'idc', 'vpn', 'proxy', 'proxies',
  'anonymi[sz]er', 'tor', 'seedbox', 'virtual private', 'infrastructure as a service', 'iaas', 'paas', 'privacy',
])

// Trade stems inside a word ("CloudHosting", "dhosting.pl", "Fiber2home", "GIGA FIBERNET",
// "Wifiber", "colo4jax", "hkcolo", "CoLoCity"): too specific to occur in other trades'
// names. "cloud" is not among them: Cloudera and Cloudflare-like names differ too much.
export const HOSTING_STEMS = /hosting|webhost|(?<![a-z])colo(?=\d|city|[^a-z]|$)|[a-z]colo(?![a-z])|datacent(?:er|re)|serverhouse|vps|vpn/i
export const ISP_STEMS = /fib(?:er|re)(?!glass)|broadband|telecom|telekom|kabelnet|wifinet|wimax|cellular|svyaz/i

// biome-ignore format: a word list reads best packed, several to a line
export const ISP_WORDS = words([
  'telecoms?', 'telekom', 'telecommunications?', 'telecomunica\\p{L}*', 't[eé]l[eé]com\\p{L}*', 'telco', 'telefon\\p{L}*', 'telephone', 'telenet',
  'broadband', 'breitband', 'cable', 'cablevision', 'kabel', 'catv', 'internet', 'isp', 'dsl', 'fib(?:er|re)', 'fibra', 'glasvezel', 'ftth',
  'online', 'communications?', 'kommunikation', 'net', 'networks', 'provider', 'wi-?fi', 'wisp', 'satellite', 'stadtwerke', 'multimedia', 'tv', 'televis\\p{L}*',
  'freifunk', 'svyaz', 'connect', 'connectivity', 'access',
  // Town utilities and electric co-ops that sell home fibre ("Department of Electricity",
  // "Municipal Utilities"), tried before the government words.
  'utilities', 'utility', 'electric', 'electricity', 'power board', 'light (?:and|&) power', 'cooperative', 'co-?op', 'telephone cooperative',
])

/** ISP pool labels ("Dynamic IP pool", "DSL customers") also never name a company. */
// biome-ignore format: a word list reads best packed, several to a line
export const POOL_WORDS = words([
  'pool', 'pools', 'dynamic', 'dhcp', 'residential', 'subscribers?', 'customers?', 'clients?', 'end ?users?', 'home ?users?', 'cgnat', 'nat', 'ppp(?:oe)?', 'dial-?up',
])

// biome-ignore format: a word list reads best packed, several to a line
export const GOVERNMENT_WORDS = words([
  'government', 'gov', 'ministry', 'ministerie', 'ministerium', 'minist[eè]re', 'department of', 'dept\\.? of', 'federal', 'bundes\\p{L}*', 'rijksoverheid',
  'rijks\\p{L}*', 'gemeente', 'municipality', 'city of', 'county', 'state of', 'council', 'parliament', 'police', 'politie', 'polizei', 'army', 'navy',
  'air force', 'defen[cs]e', 'military', 'armed forces', 'nato', 'european commission', 'court', 'dod', 'belastingdienst', 'overheid',
  'department', 'belediyesi', 'municipal\\p{L}*', 'nation of', 'prefecture', 'kommune', 'landkreis', 'kanton', 'regierung', 'provincie',
  'provincia', 'gemeenschappelijke? regeling', 'central bank', 'nationalbank', 'state government',
])

/** Networks that carry many schools or institutes: education, but their owner is not the visitor's. */
// biome-ignore format: a word list reads best packed, several to a line
export const EDUCATION_NETWORK_WORDS = words([
  'research (?:and|&) education', 'education(?:al)? network', 'research network', 'schoolnet', 'schools? network', 'nren', 'academic network',
  'scientific network', 'university network', 'kennisnet',
])

// biome-ignore format: a word list reads best packed, several to a line
export const EDUCATION_WORDS = words([
  'universit(?:y|ies|eit|ät|at|é|e|a|à|aet)', 'univers\\p{L}*', 'uniwersytet', 'college', 'school', 'schools', 'school district', 'escola', 'escuela',
  'colegio', 'lyc[eé]e', 'schule', 'academy', 'akademie', 'hogeschool', 'hochschule', 'institute of technology',
  'polytechnic', 'politecnico', 'lyceum', 'gymnasium', 'education', 'onderwijs', 'research (?:council|cent(?:er|re))',
])

// Words of an end-user organisation's trade: positive evidence that the owner of a
// network uses it for itself. A name without one (and not in the organisation list or
// the company directory) is not named: most such owners are small ISPs and hosters.
// biome-ignore format: a word list reads best packed, several to a line
export const INDUSTRY_WORDS = words([
  'bank', 'banque', 'banco', 'bancorp', 'bancaria', 'sparkasse', 'volksbank', 'raiffeisen', 'insurance', 'assurance', 'assurances', 'versicherung\\p{L}*',
  'verzekering\\p{L}*', 'pharma\\p{L}*', 'pharmaceuticals?', 'biotech\\p{L}*', 'therapeutics', 'diagnostics', 'laboratories', 'laboratory', 'motors?',
  'automotive', 'automobile\\p{L}*', 'airlines?', 'airways', 'aerospace', 'aviation', 'airport', 'railways?', 'railroad', 'shipping', 'logistics', 'freight',
  'foods?', 'beverages?', 'brewery', 'brewing', 'brouwerij', 'dairy', 'tobacco', 'cosmetics', 'apparel', 'fashion', 'retail', 'stores', 'supermarkets?',
  'chemicals?', 'chemie', 'steel', 'metals', 'mining', 'petroleum', 'oil', 'refining', 'manufacturing', 'industries', 'industrie', 'engineering',
  'construction', 'semiconductors?', 'electronics', 'instruments', 'machinery', 'machines', 'packaging', 'paper', 'cement', 'glass', 'tires', 'tyres',
  'hospital', 'hospitals', 'ziekenhuis', 'klinikum', 'kliniken', 'clinic', 'medical', 'health', 'healthcare', 'gezondheidszorg', 'hotels?', 'resorts?',
  'publishing', 'newspapers?', 'publishers', 'consulting', 'accountants', 'accounting', 'law', 'advocaten', 'securities', 'investments?', 'asset management',
  'pensions?', 'pensioenfonds', 'church', 'museum', 'charity', 'red cross', 'rode kruis', '\\p{L}*bank', 'seguros', 'assicurazioni', 'mutual',
  'p\\.c\\.', 'transport', 'dental', 'opera', 'mills', 'aero\\p{L}*', 'pharmacy', 'ministries', 'orchestra', 'theatre', 'theater', 'zoo',
])

// A company's name usually carries a legal form or a word of trade.
// biome-ignore format: a word list reads best packed, several to a line
const COMPANY_WORDS = words([
  'inc', 'incorporated', 'llc', 'ltd', 'limited', 'plc', 'gmbh', 'ag', 'kg', 'ohg', 'se', 'b\\.?v\\.?', 'n\\.?v\\.?', 's\\.?a\\.?', 'sas', 'sarl', 's\\.?r\\.?l\\.?',
  's\\.?p\\.?a\\.?', 'a/s', 'as', 'ab', 'oy', 'oyj', 'kft', 's\\.?r\\.?o\\.?', 'corp', 'corporation', 'co', 'company', 'group', 'holdings?', 'foundation',
  'stichting', 'association', 'vereniging', 'verein', 'e\\.v\\.', 'trust', 'partners', 'llp', 'lp', 'pty', 'bhd', 'pte', 'systems', 'solutions', 'services',
  'technologies', 'technology', 'bank', 'insurance', 'industries', 'international', 'consulting', 'software', 'labs?', 'enterprises?', 'institute', 'centre', 'center',
  'sons', 'gesellschaft', 'society', 'stiftung', 'hospital', 'clinic', 'kliniken', 'ziekenhuis', 'museum', 'library', 'church', 'kerk', 'bv', 'nv',
])

// Explicit registry labels for individuals.
const PERSON_LABELS = words([
  'private person',
  'privatperson',
  'privat person',
  'individual',
  'particulier',
  'natural person',
  'private customer',
  'privatkunde',
  'personal',
])

const PARTICLES = new Set([
  'van',
  'de',
  'der',
  'den',
  'von',
  'zu',
  'di',
  'da',
  'le',
  'la',
  'du',
  'del',
  'dos',
  'das',
  'ter',
  'ten',
  "'t",
  'bin',
  'al',
  'el',
  'mc',
  'mac',
  'o',
])

// Common given names (Dutch, German, English, French, and a few more): enough to
// recognise "Jan de Vries" or "John Smith" as a person holding a network.
const GIVEN_NAMES = new Set(
  `aaron adam adrian alan albert alex alexander alfred ali andre andreas andrew angela anna anne annemarie anton arjen arnold bart bas ben benjamin bernard bert bob bram brian bruno carl carlos carol caroline charles chris christian christina christine christoph christopher claire claudia daan daniel danny david dennis dick dieter dirk dominik edward eline elisabeth emma eric erik ernst esther eva evert frank frans franz frederik gerard gert gijs greg guido hans harm harry hendrik henk henri herman hugo ingrid isabel jacob jacques jakob james jan jane janine jasper jean jeffrey jennifer jeroen jesse joachim johan johann johannes john jonas jordan jose joseph josef jurgen kai karel karin karl kees kevin klaas klaus laura lars leon linda lisa lucas luc luis maarten manuel marc marcel marco maria marie mark marleen martin martijn mathias matthias max michael michel michiel mike monique niels nick nicolas niklas nina oliver olivier pascal patrick paul peter petra philipp pierre pieter piet rachel ralf ralph raymond remco richard rick rob robert robin roel roland ronald ruben rudolf ruud sander sandra sara sarah sebastian simon sjoerd sophie stefan stephan steven susanne sven thijs thomas tim tobias tom ton torsten ulrich vincent walter willem william wim wolfgang wouter yvonne`.split(
    ' ',
  ),
)

/** True when an owner name reads like a private person: never a company. */
export function looksLikePerson(name: string): boolean {
  const n = name.trim()
  if (PERSON_LABELS.test(n)) return true
  if (COMPANY_WORDS.test(n) || /\d|[&@/()]/.test(n)) return false
  // "Smith, John"
  if (/^\p{L}[\p{L}'-]+, \p{L}[\p{L}'-]+$/u.test(n)) return true
  const tokens = n.split(/\s+/)
  if (tokens.length < 2 || tokens.length > 5) return false
  if (!tokens.every((t) => /^[\p{L}'.-]+$/u.test(t))) return false
  const lower = tokens.map((t) => t.toLowerCase().replace(/\.$/, ''))
  const first = lower[0]!
  const hasParticle = lower.slice(1, -1).some((t) => PARTICLES.has(t))
  // "J. Jansen", "Jan de Vries", "Maria Schmidt"
  return GIVEN_NAMES.has(first) || (/^\p{L}\.$/u.test(tokens[0]!) && tokens.length <= 3) || (hasParticle && tokens.length <= 4)
}
