import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureNpmVersion {
  name: string;
  version: string;
  tarball: Uint8Array;
  /** ISO time; served in the full packument's `time` (the abbreviated one has none). */
  publishedAt?: string;
}

export interface FixturePypiFile {
  name: string;
  version: string;
  filename: string;
  packagetype: 'sdist' | 'bdist_wheel';
  data: Uint8Array;
  /** ISO time, served as `upload_time_iso_8601`. */
  uploadedAt?: string;
  yanked?: boolean;
}

export interface FixtureRegistries {
  npmUrl: string;
  pypiUrl: string;
  /**
   * Requests seen, as "npm|pypi METHOD path", so tests can assert what was (not) downloaded; an
   * npm packument asked for as the full document (`Accept: application/json`, what the registry
   * metadata fetch asks for) ends in " (full)".
   */
  requests: string[];
  close(): Promise<void>;
}

export function sriSha512(data: Uint8Array): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * An npm registry and a PyPI JSON API on 127.0.0.1 serving fixture packages: what the demo and
 * the end-to-end tests download from. Only the endpoints pkg-gate calls are implemented.
 */
export async function startFixtureRegistries(
  npm: readonly FixtureNpmVersion[],
  pypi: readonly FixturePypiFile[],
): Promise<FixtureRegistries> {
  const requests: string[] = [];
  let npmUrl = '';
  let pypiUrl = '';
  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    const payload = body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json',
      'content-length': payload.length,
    });
    res.end(payload);
  };

  const npmServer = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const full = req.headers.accept === 'application/json';
    requests.push(`npm ${req.method} ${path}${full ? ' (full)' : ''}`);
    const tarball = /^\/(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tarball) {
      const hit = npm.find((v) => v.name === tarball[1] && v.version === tarball[2]);
      return hit ? send(res, 200, hit.tarball) : send(res, 404, { error: 'not found' });
    }
    const name = path.slice(1);
    const versions = npm.filter((v) => v.name === name);
    if (versions.length === 0) return send(res, 404, { error: 'Not found' });
    const base = name.split('/').pop();
    const times = versions.filter((v) => v.publishedAt !== undefined);
    send(res, 200, {
      name,
      'dist-tags': { latest: versions[versions.length - 1]?.version },
      ...(full && times.length > 0
        ? { time: Object.fromEntries(times.map((v) => [v.version, v.publishedAt])) }
        : {}),
      versions: Object.fromEntries(
        versions.map((v) => [
          v.version,
          {
            name,
            version: v.version,
            dist: {
              tarball: `${npmUrl}/${name}/-/${base}-${v.version}.tgz`,
              integrity: sriSha512(v.tarball),
              shasum: createHash('sha1').update(v.tarball).digest('hex'),
            },
          },
        ]),
      ),
    });
  });

  const pypiServer = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(`pypi ${req.method} ${path}`);
    const file = /^\/files\/(.+)$/.exec(path);
    if (file) {
      const hit = pypi.find((f) => f.filename === file[1]);
      return hit ? send(res, 200, hit.data) : send(res, 404, { message: 'Not Found' });
    }
    const api = /^\/pypi\/([^/]+)(?:\/([^/]+))?\/json$/.exec(path);
    if (!api) return send(res, 404, { message: 'Not Found' });
    const normalize = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
    const files = pypi.filter((f) => normalize(f.name) === normalize(api[1] ?? ''));
    const describe = (f: FixturePypiFile) => ({
      filename: f.filename,
      packagetype: f.packagetype,
      url: `${pypiUrl}/files/${f.filename}`,
      digests: { sha256: sha256(f.data) },
      size: f.data.length,
      yanked: f.yanked ?? false,
      ...(f.uploadedAt ? { upload_time_iso_8601: f.uploadedAt } : {}),
    });
    const versions = [...new Set(files.map((f) => f.version))];
    const version = api[2] ?? versions[versions.length - 1];
    const current = files.filter((f) => f.version === version);
    if (current.length === 0) return send(res, 404, { message: 'Not Found' });
    send(res, 200, {
      info: { name: current[0]?.name, version },
      urls: current.map(describe),
      ...(api[2]
        ? {}
        : {
            releases: Object.fromEntries(
              versions.map((v) => [v, files.filter((f) => f.version === v).map(describe)]),
            ),
          }),
    });
  });

  npmUrl = await listen(npmServer);
  pypiUrl = await listen(pypiServer);
  return {
    npmUrl,
    pypiUrl,
    requests,
    close: async () => {
      await Promise.all(
        [npmServer, pypiServer].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
