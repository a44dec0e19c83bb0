import type { RuleMeta } from '../analysis/rule.js';

const BOTH: RuleMeta['ecosystems'] = ['npm', 'pypi'];

/** Catalog entries of every rule the reputation signals raise. */
export const reputationRules: RuleMeta[] = [
  {
    id: 'known-malicious',
    severity: 'critical',
    ecosystems: BOTH,
    title: 'Version is listed as malicious',
    description:
      "OSV has a MAL- record, or GitHub's advisory database a malware advisory, for this exact version. Gates on its own.",
    references: [
      'https://osv.dev/list?q=MAL-',
      'https://github.com/ossf/malicious-packages',
      'https://github.com/advisories?query=type%3Amalware',
    ],
  },
  {
    id: 'known-vulnerability',
    severity: 'info',
    ecosystems: BOTH,
    title: 'Version has known vulnerabilities',
    description:
      "OSV lists vulnerability advisories for this version. Shown with their ids; gating on vulnerabilities is dependency-review-action's job.",
    references: ['https://osv.dev', 'https://github.com/actions/dependency-review-action'],
  },
  {
    id: 'typosquat',
    severity: 'medium',
    ecosystems: BOTH,
    title: 'Name imitates a popular package',
    description:
      'The name is a look-alike of a popular package (typo, swapped letters, separators, confusable characters, added or dropped affix, imitated npm scope). Raised to high together with a code finding at medium or above.',
    references: ['https://capec.mitre.org/data/definitions/630.html'],
  },
  {
    id: 'dependency-confusion-version',
    severity: 'high',
    ecosystems: BOTH,
    title: 'Probe-style very high version',
    description:
      'A version like 99.x, 999.x or 9999.x on a package with few releases: dependency-confusion probes use it to outrank an internal package of the same name.',
    references: ['https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610'],
  },
  {
    id: 'dependency-confusion-internal',
    severity: 'high',
    ecosystems: BOTH,
    title: 'Internal package name resolved from the public index',
    description:
      'The name matches the internal-prefixes setting (names or scopes that must come only from the private registry) but was resolved from a public index.',
    references: ['https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610'],
  },
  {
    id: 'new-package',
    severity: 'medium',
    ecosystems: BOTH,
    title: 'Package first published days ago',
    description:
      'The first release of the package is younger than the configured number of days (default 7). Malicious packages are usually caught within days of publication.',
    references: [],
  },
  {
    id: 'single-release',
    severity: 'low',
    ecosystems: BOTH,
    title: 'Package has a single release',
    description: 'The package has only one release, so it has no history to trust.',
    references: [],
  },
  {
    id: 'rapid-republish',
    severity: 'medium',
    ecosystems: BOTH,
    title: 'Published minutes after the previous release and much larger',
    description:
      'This version came out within the configured minutes (default 60) of the previous one and is at least twice its size: how injected code is often shipped after an account takeover.',
    references: [],
  },
  {
    id: 'publisher-changed',
    severity: 'medium',
    ecosystems: BOTH,
    title: 'Publisher or maintainers changed in this version',
    description:
      'The account that published the new version, or the maintainer set (PyPI: declared author and maintainer contacts), differs from the previous version. Info when another existing maintainer or CI trusted publishing released it; high together with a new install-time behaviour.',
    references: [],
  },
  {
    id: 'provenance-dropped',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'Provenance attestation missing on the new version',
    description:
      'The previous version was published with an npm provenance attestation (built by CI from its repository) and the new one was not: typical of a release made with a stolen token.',
    references: ['https://docs.npmjs.com/generating-provenance-statements'],
  },
  {
    id: 'deprecated-or-yanked',
    severity: 'medium',
    ecosystems: BOTH,
    title: 'Version is deprecated or yanked',
    description:
      'The publisher deprecated (npm) or yanked (PyPI) this version, often because it was broken or compromised.',
    references: ['https://peps.python.org/pep-0592/'],
  },
  {
    id: 'no-source-repository',
    severity: 'info',
    ecosystems: BOTH,
    title: 'No repository or homepage declared',
    description:
      'The package names no source repository or homepage, so its published code cannot be compared with a public source.',
    references: [],
  },
  {
    id: 'disposable-email',
    severity: 'low',
    ecosystems: BOTH,
    title: 'Author e-mail at a disposable domain',
    description:
      'An author, maintainer or publisher address is at a throw-away e-mail service (list in data/popular/disposable-email-domains.json).',
    references: [],
  },
  {
    id: 'registry-metadata-incomplete',
    severity: 'info',
    ecosystems: BOTH,
    title: 'Registry metadata did not describe this version',
    description:
      'The publisher and history signals could not be computed because the registry metadata lacks this version.',
    references: [],
  },
];

export const REPUTATION_RULE_IDS: ReadonlySet<string> = new Set(reputationRules.map((r) => r.id));
