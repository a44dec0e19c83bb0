/**
 * Threat indicators shared by the Python and JavaScript rules: where stolen data goes and what it
 * is. Each list is data, kept small and specific, because a weak indicator here turns a
 * capability (network, file read) into a finding.
 */

export interface Indicator {
  /** Short label shown in findings, e.g. "Discord webhook". */
  label: string;
  pattern: RegExp;
}

/** Destinations that a legitimate library has no reason to send data to or load code from. */
export const SUSPICIOUS_ENDPOINTS: readonly Indicator[] = [
  { label: 'Discord webhook', pattern: /discord(?:app)?\.com\/api\/webhooks\//i },
  { label: 'Discord attachment CDN', pattern: /cdn\.discordapp\.com\/attachments\//i },
  { label: 'Telegram bot API', pattern: /api\.telegram\.org\/bot/i },
  // a bot's token in the code: the package talks to its author's bot (stolen data out, commands in)
  { label: 'Telegram bot token', pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/ },
  { label: 'Slack webhook', pattern: /hooks\.slack\.com\/services\//i },
  {
    label: 'paste site',
    pattern:
      /\b(?:pastebin\.com\/(?:raw|api)|api\.paste\.ee|paste\.ee\/r|hastebin\.com\/raw|rentry\.co|rentry\.org|ghostbin|controlc\.com|pastie\.io|dpaste\.(?:com|org)\/[^\s'"]*raw|paste\.rs|pastefy)/i,
  },
  {
    label: 'tunnel or request-catcher',
    pattern:
      /\b(?:[\w-]+\.)?(?:ngrok(?:-free)?\.(?:io|app|dev)|trycloudflare\.com|serveo\.net|localtunnel\.me|loca\.lt|pipedream\.net|requestbin\.(?:net|com)|webhook\.site|interact\.sh|oast\.(?:fun|me|pro|live|site|online)|burpcollaborator\.net|oastify\.com|dnslog\.cn|mockapi\.io|beeceptor\.com|requestinspector\.com|webhook\.cool|hookdeck\.com|glitch\.me|repl\.co|herokuapp\.com|ceye\.io|canarytokens\.com|beeceptor\.com|requestcatcher\.com|hookbin\.com|bind\.pw|pipedream\.com|m\.pipedream|eo\w+\.m\.pipedream\.net)/i,
  },
  {
    label: 'anonymous file host',
    pattern:
      /\b(?:transfer\.sh|anonfiles\.com|file\.io|gofile\.io|filetransfer\.io|catbox\.moe|filebin\.net|temp\.sh|bashupload\.com|0x0\.st|tmpfiles\.org|sendspace\.com|mediafire\.com\/file|dropbox\.com\/s\/[^\s'"]*dl=1|dl\.dropboxusercontent\.com|dl\.dropbox\.com\/s\/|workupload\.com)/i,
  },
  {
    label: 'URL shortener',
    pattern:
      /\bhttps?:\/\/(?:bit\.ly|tinyurl\.com|is\.gd|t\.ly|cutt\.ly|rb\.gy|shorturl\.at|goo\.gl|ow\.ly|rebrand\.ly|tiny\.cc|v\.gd)\//i,
  },
  {
    label: 'raw IP address URL',
    pattern:
      /\b(?:https?|ftp|tcp|wss?):\/\/(?!(?:127|10|0)\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|255\.)(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?:[/'"\s?]|$)/i,
  },
  {
    label: 'crypto-mining pool',
    pattern:
      /stratum\+(?:tcp|ssl|tls):\/\/|--donate-level|\bxmrig\b|\bnanominer\b|minexmr\.com|nanopool\.org|2miners\.com|hashvault\.pro|supportxmr\.com|moneroocean\.stream/i,
  },
  {
    label: 'IP lookup service',
    pattern:
      /\b(?:api\.ipify\.org|ipinfo\.io|ip-api\.com|ifconfig\.me|icanhazip\.com|checkip\.amazonaws\.com|ipapi\.co|myexternalip\.com|wtfismyip\.com|geolocation-db\.com)/i,
  },
];

/**
 * Stores that only stealers read and send somewhere: a browser's saved passwords and its master
 * key, Discord token stores, wallet files, messenger sessions. SSH keys, cloud credentials and
 * registry tokens are not here: clients (paramiko, boto, twine) read those and talk to servers.
 */
export const STEALER_ONLY_STORES = new Set([
  'browser saved passwords',
  'browser master key (Local State)',
  'Discord token store',
  'crypto wallets',
  'Telegram session',
  'messenger/game sessions',
]);

/** Files and stores that hold credentials, session tokens or wallets. */
export const SENSITIVE_DATA: readonly Indicator[] = [
  { label: 'browser saved passwords', pattern: /Login Data|logins\.json|key4\.db|signons\.sqlite/ },
  {
    label: 'browser cookies',
    pattern: /\bCookies\b(?!\s*\w)|cookies\.sqlite|Network[\\/]+Cookies/,
  },
  { label: 'browser master key (Local State)', pattern: /Local State/ },
  {
    label: 'browser profile store',
    pattern:
      /User Data[\\/]+Default|Opera Software[\\/]+Opera|BraveSoftware[\\/]+Brave-Browser[\\/]+User Data|YandexBrowser[\\/]+User Data|Firefox[\\/]+Profiles|webappsstore\.sqlite/,
  },
  {
    label: 'Discord token store',
    pattern:
      /Roaming[\\/]+discord(?:canary|ptb)?\b|\bdiscord(?:canary|ptb)[\\/]|discord(?:canary|ptb)?[\\/]+Local Storage|Local Storage[\\/]+leveldb|dQw4w9WgXcQ|mfa\.[\w-]{20,}|\[\\w-\]\{24\}\\\.\[\\w-\]\{6\}/i,
  },
  {
    label: 'SSH keys',
    pattern: /\.ssh[\\/]+(?:id_|authorized_keys|known_hosts)|id_rsa|id_ed25519/,
  },
  {
    label: 'cloud credentials',
    pattern:
      /\.aws[\\/]+credentials|\.azure[\\/]|gcloud[\\/]+(?:credentials|application_default)|\.kube[\\/]+config/,
  },
  {
    label: 'package registry tokens',
    pattern: /\.npmrc|\.pypirc|\.git-credentials|\.docker[\\/]+config\.json|_authToken/,
  },
  {
    label: 'crypto wallets',
    pattern:
      /wallet\.dat|Exodus[\\/]|['"]Exodus['"]|exodus\.wallet|[Ee]thereum[\\/]+keystore|\bkeystore[\\/]+UTC--|Electrum[\\/]+wallets|Atomic[\\/]+Local Storage|nkbihfbeogaeaoehlefnkodbefgpgknn|MetaMask|Phantom|Coinomi|Guarda|Armory|Jaxx/,
  },
  { label: 'Telegram session', pattern: /Telegram Desktop[\\/]+tdata|\btdata\b/ },
  { label: 'system password files', pattern: /\/etc\/shadow|\/etc\/passwd/ },
  {
    label: 'messenger/game sessions',
    pattern:
      /Steam[\\/]+config|loginusers\.vdf|\.minecraft[\\/]|Growtopia|Roblox(?:Studio)?[\\/]|ROBLOSECURITY|\.ROBLOSECURITY/,
  },
];

/** Places where writing a file makes code run again later (persistence). */
export const PERSISTENCE_LOCATIONS: readonly Indicator[] = [
  { label: 'Windows Run key', pattern: /CurrentVersion\\+Run\b|CurrentVersion\\\\Run/i },
  {
    label: 'Windows startup folder',
    pattern: /Start Menu[\\/]+Programs[\\/]+Startup|shell:startup/i,
  },
  { label: 'cron', pattern: /crontab\s+-|\/etc\/cron|\/var\/spool\/cron/ },
  {
    label: 'systemd unit',
    pattern: /\/etc\/systemd\/system|\.config\/systemd\/user|systemctl\s+enable/,
  },
  { label: 'shell start-up file', pattern: /\.bashrc|\.bash_profile|\.zshrc|\.profile\b/ },
  {
    label: 'desktop autostart entry',
    pattern: /\.config[\\/]+autostart[\\/]|\/etc\/xdg\/autostart/,
  },
  { label: 'scheduled task', pattern: /schtasks\s*(?:\.exe)?\s*\/create/i },
  { label: 'launch agent', pattern: /LaunchAgents[\\/]/ },
  { label: 'browser extension side-loading', pattern: /--load-extension\b/ },
  {
    label: 'UAC bypass (auto-elevating binary)',
    pattern:
      /\bfodhelper(?:\.exe)?\b|ms-settings\\+shell\\+open\\+command|\beventvwr(?:\.exe)?\b|\bcomputerdefaults(?:\.exe)?\b|\bsdclt(?:\.exe)?\b/i,
  },
];

/** Cheap whole-file test: does any literal indicator occur anywhere in a source? */
export const ANY_INDICATOR = new RegExp(
  [...SUSPICIOUS_ENDPOINTS, ...SENSITIVE_DATA, ...PERSISTENCE_LOCATIONS]
    .map((i) => i.pattern.source)
    .join('|'),
  'i',
);

/** Shell fragments that download and run code. */
export const DOWNLOAD_AND_RUN_SHELL = new RegExp(
  [
    // curl … | sh, wget -O- … | python
    String.raw`\b(?:curl|wget|fetch)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b`,
    String.raw`\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:python[\d.]*|node|perl|ruby|php)\b`,
    // download, then make executable or run it
    String.raw`\b(?:curl|wget)\b[^;&|\n]*(?:;|&&|\|\|)\s*(?:sudo\s+)?(?:chmod\s+(?:\+|[ugoa]*\+)?[0-7]*x|chmod\s+[0-7]{3}|\.\/|bash\b|sh\s|python|node\s|start\s|rundll32|regsvr32|msiexec)`,
    // Windows download cradles
    String.raw`\b(?:iwr|Invoke-WebRequest|irm|Invoke-RestMethod|wget|curl)\b[^\n]*(?:\|\s*iex|[;&|]\s*(?:Start-Process|Invoke-Expression|iex\b|&\s|\.\\|start\s))`,
    String.raw`\b(?:DownloadString|DownloadFile|DownloadData)\s*\(`,
    String.raw`certutil(?:\.exe)?\s+-urlcache`,
    String.raw`bitsadmin(?:\.exe)?\s+\/transfer`,
    String.raw`powershell(?:\.exe)?\s+[^\n]*-(?:e|en|enc|encodedcommand)\s+[A-Za-z0-9+/=]{20,}`,
    String.raw`\bmshta(?:\.exe)?\s+https?:`,
  ].join('|'),
  'i',
);

/** Shell fragments that hand a remote host an interactive shell. */
export const REVERSE_SHELL =
  /import socket\b[^\n]*(?:dup2|pty\.spawn|\/bin\/(?:ba)?sh)|\/dev\/tcp\/[\w.-]+\/\d+|\bbash\s+-i\s*>&|\bnc(?:at)?\s+(?:-\w+\s+)*-e\s|\bsh\s+-i\s*[<>]|socat\s+[^\n]*exec:|mkfifo\s+\/tmp\/[^\n]*\bnc\b/i;

/** Shell fragments that hide what runs. */
export const HIDDEN_SHELL =
  /\bnohup\b|\bsetsid\b|-w(?:indowstyle)?\s+hidden|>\s*\/dev\/null\s+2>&1\s*&|\bdisown\b|start\s+\/b\b|\bpythonw(?:\.exe)?\b/i;

export function matchIndicator(
  text: string,
  list: readonly Indicator[],
): { label: string; match: string } | undefined {
  for (const indicator of list) {
    const m = indicator.pattern.exec(text);
    if (m) return { label: indicator.label, match: m[0] };
  }
  return undefined;
}

export function matchAll(
  text: string,
  list: readonly Indicator[],
): { label: string; match: string }[] {
  const out: { label: string; match: string }[] = [];
  for (const indicator of list) {
    const m = indicator.pattern.exec(text);
    if (m) out.push({ label: indicator.label, match: m[0] });
  }
  return out;
}

const URL_PATTERN = /\b(?:https?|wss?|ftp):\/\/[^\s'"`<>)\\]+/gi;

export function findUrls(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => m[0]).slice(0, 50);
}

/**
 * The threat indicators a string literal carries (suspicious endpoint, sensitive data path,
 * persistence location): one table walk shared by the Python and JavaScript fact extractors.
 */
export function stringIndicators(
  text: string,
): { kind: 'endpoint' | 'sensitive' | 'persistence'; label: string; match: string }[] {
  const found: { kind: 'endpoint' | 'sensitive' | 'persistence'; label: string; match: string }[] =
    [];
  for (const [kind, list] of [
    ['endpoint', SUSPICIOUS_ENDPOINTS],
    ['sensitive', SENSITIVE_DATA],
    ['persistence', PERSISTENCE_LOCATIONS],
  ] as const) {
    const hit = matchIndicator(text, list);
    if (hit) found.push({ kind, ...hit });
  }
  return found;
}

/** A destination on this machine: talking to it sends nothing anywhere. */
export const LOOPBACK_TARGET =
  /^(?:(?:https?|wss?|tcp):\/\/)?(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0)(?::\d+)?(?:[/?#]|$)/i;

/**
 * Chat-service endpoints are destinations only with the attacker's credential in them: a literal
 * webhook id/token or bot token. Without one (`api.telegram.org/bot{token}` filled in by the
 * user) they are an integration: tqdm's Telegram progress bar, a Discord notifier.
 */
const NEEDS_CREDENTIAL = new Set(['Discord webhook', 'Telegram bot API', 'Slack webhook']);
const SERVICE_CREDENTIAL = /webhooks\/\d+\/[\w-]+|\bbot\d+:[\w-]+|services\/T\w+\/B\w+\/\w+/;

export function endpointIsStrong(fact: {
  name: string;
  value?: string;
  evidence: string;
}): boolean {
  if (!NEEDS_CREDENTIAL.has(fact.name)) return true;
  return SERVICE_CREDENTIAL.test(`${fact.value ?? ''} ${fact.evidence}`);
}
