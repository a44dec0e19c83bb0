import { afterEach, describe, expect, it } from '@jest/globals';
import {
  advisoryFindings,
  advisoryKey,
  AdvisorySourceError,
  createAdvisoryLookup,
  queryGithubMalware,
  queryOsv,
  versionInRange,
} from '../../src/reputation/advisories.js';
import {
  githubAdvisory,
  osvHandler,
  startDouble,
  unreachableUrl,
  type Double,
} from './advisory-doubles.js';

const doubles: Double[] = [];
async function double(...args: Parameters<typeof startDouble>) {
  const started = await startDouble(...args);
  doubles.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(doubles.splice(0).map((d) => d.close()));
});

const evil = { ecosystem: 'npm', name: 'evil-pkg', version: '1.0.0' } as const;
const lodash = { ecosystem: 'npm', name: 'lodash', version: '4.17.15' } as const;
const requestsPkg = { ecosystem: 'pypi', name: 'Requests', version: '2.19.0' } as const;
const clean = { ecosystem: 'pypi', name: 'clean-lib', version: '1.0' } as const;

describe('queryOsv', () => {
  it('asks once for every package and maps the ids back in query order', async () => {
    const osv = await double(
      osvHandler({
        'npm:evil-pkg@1.0.0': ['MAL-2025-1234'],
        'npm:lodash@4.17.15': ['GHSA-p6mc-m468-83gw', 'GHSA-35jh-r3h4-6jhm'],
        'PyPI:Requests@2.19.0': ['PYSEC-2018-28'],
      }),
    );
    const results = await queryOsv([evil, lodash, requestsPkg, clean, evil], {
      osvUrl: `${osv.url}/`,
    });
    expect(osv.requests).toHaveLength(1);
    const sent = JSON.parse(osv.requests[0].body);
    expect(sent.queries).toEqual([
      { package: { name: 'evil-pkg', ecosystem: 'npm' }, version: '1.0.0' },
      { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.15' },
      { package: { name: 'Requests', ecosystem: 'PyPI' }, version: '2.19.0' },
      { package: { name: 'clean-lib', ecosystem: 'PyPI' }, version: '1.0' },
    ]);
    expect(results.get(advisoryKey(evil))?.vulns.map((v) => v.id)).toEqual(['MAL-2025-1234']);
    expect(results.get('pypi:requests@2.19.0')?.vulns[0]).toEqual({
      id: 'PYSEC-2018-28',
      modified: '2025-01-02T03:04:05.678901Z',
    });
    expect(results.get(advisoryKey(clean))).toEqual({ vulns: [] });
  });

  it('follows next_page_token for the queries that have more', async () => {
    const osv = await double((request) => {
      const { queries } = JSON.parse(request.body);
      if (queries[0].page_token) {
        return {
          body: {
            results: [{ vulns: [{ id: 'GHSA-page-two', modified: '2025-01-01T00:00:00Z' }] }],
          },
        };
      }
      return {
        body: {
          results: [
            {
              vulns: [{ id: 'GHSA-page-one', modified: '2025-01-01T00:00:00Z' }],
              next_page_token: 'tok-1',
            },
            {},
          ],
        },
      };
    });
    const results = await queryOsv([lodash, clean], { osvUrl: osv.url });
    expect(osv.requests).toHaveLength(2);
    expect(JSON.parse(osv.requests[1].body).queries).toEqual([
      { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.15', page_token: 'tok-1' },
    ]);
    expect(results.get(advisoryKey(lodash))?.vulns.map((v) => v.id)).toEqual([
      'GHSA-page-one',
      'GHSA-page-two',
    ]);
  });

  it('throws a source error on an error status, a short answer or no server', async () => {
    const failing = await double(() => ({
      status: 400,
      body: { code: 3, message: 'Invalid query.' },
    }));
    await expect(queryOsv([evil], { osvUrl: failing.url })).rejects.toThrow(AdvisorySourceError);
    expect(failing.requests).toHaveLength(1);
    const short = await double(() => ({ body: { results: [] } }));
    await expect(queryOsv([evil], { osvUrl: short.url })).rejects.toThrow(
      'returned 0 results for 1 queries',
    );
    await expect(queryOsv([evil], { osvUrl: await unreachableUrl() })).rejects.toThrow(
      AdvisorySourceError,
    );
  });

  it('retries once on a server error', async () => {
    let calls = 0;
    const flaky = await double((request, base) => {
      calls++;
      return calls === 1 ? { status: 503, body: 'unavailable' } : osvHandler({})(request, base);
    });
    const results = await queryOsv([evil], { osvUrl: flaky.url });
    expect(flaky.requests).toHaveLength(2);
    expect(results.get(advisoryKey(evil))).toEqual({ vulns: [] });
  });
});

describe('queryGithubMalware', () => {
  it('asks once per ecosystem with the token and matches advisories to exact versions', async () => {
    const github = await double((request) => {
      const url = new URL(request.url, 'http://x');
      if (url.searchParams.get('ecosystem') === 'npm') {
        return {
          body: [
            githubAdvisory('GHSA-aaaa-bbbb-cccc', 'npm', 'evil-pkg', '>= 0'),
            githubAdvisory('GHSA-dddd-eeee-ffff', 'npm', 'lodash', '= 4.17.16'),
          ],
        };
      }
      return {
        body: [githubAdvisory('GHSA-gggg-hhhh-iiii', 'pip', 'requests', '>= 2.0, < 2.20.0')],
      };
    });
    const results = await queryGithubMalware([evil, lodash, requestsPkg, clean], {
      apiUrl: github.url,
      token: 'ghs_test',
    });
    expect(github.requests).toHaveLength(2);
    const [npmRequest, pipRequest] = github.requests.map((r) => new URL(r.url, 'http://x'));
    expect(npmRequest.pathname).toBe('/advisories');
    expect(Object.fromEntries(npmRequest.searchParams)).toEqual({
      type: 'malware',
      ecosystem: 'npm',
      affects: 'evil-pkg@1.0.0,lodash@4.17.15',
      per_page: '100',
    });
    expect(pipRequest.searchParams.get('ecosystem')).toBe('pip');
    expect(github.requests[0].headers.authorization).toBe('Bearer ghs_test');
    expect(github.requests[0].headers.accept).toBe('application/vnd.github+json');
    expect(results.get(advisoryKey(evil))?.map((a) => a.ghsa_id)).toEqual(['GHSA-aaaa-bbbb-cccc']);
    expect(results.get(advisoryKey(lodash))).toEqual([]);
    expect(results.get(advisoryKey(requestsPkg))?.map((a) => a.ghsa_id)).toEqual([
      'GHSA-gggg-hhhh-iiii',
    ]);
    expect(results.get(advisoryKey(clean))).toEqual([]);
  });

  it('follows the Link header to further pages and skips withdrawn advisories', async () => {
    const github = await double((request, base) => {
      const url = new URL(request.url, 'http://x');
      if (url.searchParams.get('page') === '2') {
        return { body: [githubAdvisory('GHSA-2222-2222-2222', 'npm', 'evil-pkg', '>= 0')] };
      }
      const withdrawn = {
        ...githubAdvisory('GHSA-wwww-wwww-wwww', 'npm', 'evil-pkg', '>= 0'),
        withdrawn_at: '2025-03-01T00:00:00Z',
      };
      return {
        headers: {
          link: `<${base}/advisories?page=2>; rel="next", <${base}/advisories?page=2>; rel="last"`,
        },
        body: [withdrawn],
      };
    });
    const results = await queryGithubMalware([evil], { apiUrl: github.url });
    expect(github.requests).toHaveLength(2);
    expect(github.requests[0].headers.authorization).toBeUndefined();
    expect(results.get(advisoryKey(evil))?.map((a) => a.ghsa_id)).toEqual(['GHSA-2222-2222-2222']);
  });

  it('throws a source error when GitHub refuses', async () => {
    const github = await double(() => ({ status: 401, body: { message: 'Bad credentials' } }));
    await expect(queryGithubMalware([evil], { apiUrl: github.url, token: 'bad' })).rejects.toThrow(
      'HTTP 401',
    );
  });
});

describe('versionInRange', () => {
  it('reads GitHub ranges for npm and PyPI', () => {
    expect(versionInRange('npm', '1.0.0', '>= 0')).toBe(true);
    expect(versionInRange('npm', '1.2.0', '>= 1.0.0, < 1.2.0')).toBe(false);
    expect(versionInRange('npm', '4.17.16', '= 4.17.16')).toBe(true);
    expect(versionInRange('pypi', '2.19.0', '>= 2.0, < 2.20.0')).toBe(true);
    expect(versionInRange('pypi', '1.0', '= 1.0')).toBe(true);
    expect(versionInRange('pypi', '1.1', '= 1.0')).toBe(false);
    expect(versionInRange('npm', '1.0.0', 'garbage')).toBeUndefined();
    expect(versionInRange('npm', '1.0.0', '')).toBeUndefined();
  });
});

describe('advisoryFindings', () => {
  it('makes a MAL- record or a malware advisory critical, with ids and links', () => {
    const [finding] = advisoryFindings(evil, { vulns: [{ id: 'MAL-2025-1234' }] }, [
      githubAdvisory('GHSA-aaaa-bbbb-cccc', 'npm', 'evil-pkg', '>= 0'),
    ]);
    expect(finding).toMatchObject({
      rule: 'known-malicious',
      severity: 'critical',
      file: '',
      line: 0,
    });
    expect(finding.evidence).toBe('MAL-2025-1234, GHSA-aaaa-bbbb-cccc');
    expect(finding.message).toContain('https://osv.dev/vulnerability/MAL-2025-1234');
    expect(finding.message).toContain('https://github.com/advisories/GHSA-aaaa-bbbb-cccc');
  });

  it('reports vulnerabilities as info and never as malicious', () => {
    const findings = advisoryFindings(lodash, {
      vulns: [{ id: 'GHSA-p6mc-m468-83gw' }, { id: 'CVE-2020-8203' }],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'known-vulnerability', severity: 'info' });
    expect(findings[0].evidence).toBe('GHSA-p6mc-m468-83gw, CVE-2020-8203');
    expect(findings[0].message).toContain('dependency-review-action');
  });

  it('is empty when nothing is known', () => {
    expect(advisoryFindings(clean, { vulns: [] }, [])).toEqual([]);
    expect(advisoryFindings(clean)).toEqual([]);
  });
});

describe('createAdvisoryLookup', () => {
  it('asks each source once per run and answers repeats from its cache', async () => {
    const osv = await double(osvHandler({ 'npm:evil-pkg@1.0.0': ['MAL-2025-1234'] }));
    const github = await double(() => ({ body: [] }));
    const lookup = createAdvisoryLookup({
      osvUrl: osv.url,
      github: { apiUrl: github.url, token: 't' },
    });
    const first = await lookup.lookup([evil, lodash]);
    expect(first.warnings).toEqual([]);
    expect(first.findings.get(advisoryKey(evil))?.map((f) => f.rule)).toEqual(['known-malicious']);
    expect(first.findings.get(advisoryKey(lodash))).toEqual([]);
    const again = await lookup.lookup([lodash, evil]);
    expect(again.findings.get(advisoryKey(evil))?.map((f) => f.rule)).toEqual(['known-malicious']);
    expect(osv.requests).toHaveLength(1);
    expect(github.requests).toHaveLength(1);
    await lookup.lookup([evil, clean]);
    expect(JSON.parse(osv.requests[1].body).queries).toHaveLength(1);
  });

  it('turns an unreachable source into one warning per run and still uses the other', async () => {
    const github = await double(() => ({
      body: [githubAdvisory('GHSA-aaaa-bbbb-cccc', 'npm', 'evil-pkg', '>= 0')],
    }));
    const lookup = createAdvisoryLookup({
      osvUrl: await unreachableUrl(),
      github: { apiUrl: github.url },
    });
    const first = await lookup.lookup([evil]);
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatch(/^OSV could not be reached/);
    expect(first.findings.get(advisoryKey(evil))?.[0]).toMatchObject({
      rule: 'known-malicious',
      evidence: 'GHSA-aaaa-bbbb-cccc',
    });
    const second = await lookup.lookup([lodash]);
    expect(second.warnings).toEqual([]);
  });

  it('asks nothing for a source that is off', async () => {
    const osv = await double(osvHandler({}));
    const lookup = createAdvisoryLookup({ osvUrl: false, github: false });
    const result = await lookup.lookup([evil]);
    expect(result).toEqual({ findings: new Map([[advisoryKey(evil), []]]), warnings: [] });
    expect(osv.requests).toHaveLength(0);
  });
});
