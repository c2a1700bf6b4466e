/** Word lists the seeded workspace draws names, domains and places from. */
export const firstNames = [
  "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
  "Radia", "Tim", "Sophie", "Niklaus", "Hedy", "John", "Katherine", "Guido", "Anita", "Bjarne",
  "Joan", "Yukihiro", "Shafi", "Leslie", "Mary", "Donald", "Karen", "Brendan", "Lynn", "James",
  "Amara", "Chen", "Priya", "Mateo", "Aisha", "Lars", "Ngozi", "Kenji", "Olga", "Rafael"
]
export const lastNames = [
  "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
  "Dijkstra", "Perlman", "Berners-Lee", "Wilson", "Wirth", "Lamarr", "McCarthy", "Johnson", "Rossum",
  "Borg", "Stroustrup", "Clarke", "Matsumoto", "Goldwasser", "Lamport", "Keller", "Knuth", "Jones",
  "Eich", "Conway", "Gosling", "Okafor", "Wei", "Sharma", "Garcia", "Khan", "Nilsson", "Adeyemi",
  "Sato", "Ivanova", "Silva"
]
export const emailDomains = [
  "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
  "proton.me", "acme.com", "acme.io", "globex.com", "initech.com", "umbrella.co", "hooli.xyz",
  "example.org", "piedpiper.net", "stark.industries", "wayne.enterprises", "aperture.science",
  "cyberdyne.io"
]
export const places: ReadonlyArray<readonly [string, string, string]> = [
  ["United States", "California", "San Francisco"], ["United States", "New York", "New York"],
  ["United States", "Texas", "Austin"], ["Ireland", "Dublin", "Dublin"],
  ["United Kingdom", "England", "London"], ["Germany", "Berlin", "Berlin"],
  ["France", "Ile-de-France", "Paris"], ["Spain", "Catalonia", "Barcelona"],
  ["Brazil", "Sao Paulo", "Sao Paulo"], ["India", "Karnataka", "Bengaluru"],
  ["Japan", "Tokyo", "Tokyo"], ["Australia", "New South Wales", "Sydney"],
  ["Canada", "Ontario", "Toronto"], ["Nigeria", "Lagos", "Lagos"], ["Sweden", "Stockholm", "Stockholm"]
]
export const browsers = ["chrome", "firefox", "safari", "edge"]
export const oses = ["OS X 14.4", "Windows 11", "Linux", "iOS 17.4", "Android 14"]
export const languages = ["en", "en-US", "fr", "de", "es", "pt-BR", "ja"]
export const plans = ["free", "pro", "team", "enterprise"]
export const sources = ["organic", "ads", "referral", "partner"]
export const companyWords = [
  "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Stark", "Wayne",
  "Tyrell", "Cyberdyne", "Aperture", "Massive", "Wonka", "Gringotts", "Oscorp", "Pied Piper", "Dunder"
]
export const companySuffixes = ["Inc", "Ltd", "GmbH", "Labs", "Group", "Co", "Systems", "Partners"]
export const industries = ["Software", "Retail", "Finance", "Healthcare", "Education", "Media", "Logistics"]
export const tagNames = [
  "VIP", "Beta tester", "Churn risk", "Enterprise lead", "Newsletter", "Needs onboarding",
  "Power user", "Partner", "Feedback given", "Trial", "Investor", "Support priority"
]
