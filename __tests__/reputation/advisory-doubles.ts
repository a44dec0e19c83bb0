// Local stand-ins for OSV and GitHub's advisory API on 127.0.0.1, answering with the response
// shapes the services document: OSV `POST /v1/querybatch` → `{results: [{vulns: [{id, modified}]}, {}]}`
// (ids only, in query order, `{}` for no match); GitHub `GET /advisories` → a JSON list of global
// advisories, paginated with a `Link` header.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (
  request: RecordedRequest,
  baseUrl: string,
) => { status?: number; headers?: Record<string, string>; body: unknown };

export interface Double {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startDouble(handler: Handler): Promise<Double> {
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = handler(recorded, baseUrl);
      res.writeHead(answer.status ?? 200, {
        'content-type': 'application/json',
        ...answer.headers,
      });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A URL on 127.0.0.1 where nothing listens: connections are refused at once. */
export async function unreachableUrl(): Promise<string> {
  const double = await startDouble(() => ({ body: {} }));
  await double.close();
  return double.url;
}

/** OSV's querybatch: answers each query from `records` (`Ecosystem:name@version` → ids). */
export function osvHandler(records: Record<string, string[]>): Handler {
  return (request) => {
    if (request.method !== 'POST' || request.url !== '/v1/querybatch') {
      return { status: 404, body: { code: 5, message: 'Not Found' } };
    }
    const { queries } = JSON.parse(request.body) as {
      queries: { package: { name: string; ecosystem: string }; version: string }[];
    };
    return {
      body: {
        results: queries.map((q) => {
          const ids = records[`${q.package.ecosystem}:${q.package.name}@${q.version}`] ?? [];
          return ids.length
            ? { vulns: ids.map((id) => ({ id, modified: '2025-01-02T03:04:05.678901Z' })) }
            : {};
        }),
      },
    };
  };
}

/** A global advisory as `GET /advisories` returns it. */
export function githubAdvisory(
  ghsaId: string,
  ecosystem: string,
  name: string,
  range: string,
  type = 'malware',
) {
  return {
    ghsa_id: ghsaId,
    cve_id: null,
    url: `https://api.github.com/advisories/${ghsaId}`,
    html_url: `https://github.com/advisories/${ghsaId}`,
    repository_advisory_url: null,
    summary: `Malware in ${name}`,
    description: `Any computer that has this package installed or running should be considered fully compromised.`,
    type,
    severity: 'critical',
    source_code_location: '',
    identifiers: [{ value: ghsaId, type: 'GHSA' }],
    references: [`https://github.com/advisories/${ghsaId}`],
    published_at: '2025-02-03T04:05:06Z',
    updated_at: '2025-02-03T04:05:06Z',
    github_reviewed_at: '2025-02-03T04:05:06Z',
    nvd_published_at: null,
    withdrawn_at: null,
    vulnerabilities: [
      {
        package: { ecosystem, name },
        vulnerable_version_range: range,
        first_patched_version: null,
        vulnerable_functions: [],
      },
    ],
    cvss_severities: {
      cvss_v3: { vector_string: null, score: null },
      cvss_v4: { vector_string: null, score: null },
    },
    cwes: [{ cwe_id: 'CWE-506', name: 'Embedded Malicious Code' }],
    credits: [],
  };
}
