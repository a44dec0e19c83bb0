// Prints the Python facts the engine records for the files of one archive: a debugging aid for
// rule authors (what the engine sees, before any rule judges it). Reads bytes only.
//
//   npx tsx scripts/facts.ts ARCHIVE [PATH_SUBSTRING]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AnalysisContext } from '../src/analysis/context.js';
import { pythonPackageFacts } from '../src/analysis/python/package.js';
import { initPythonParser } from '../src/analysis/python/parser.js';
import { unpackArchive } from '../src/archive/unpack.js';

const [archive, filter] = process.argv.slice(2);
if (!archive) {
  console.error('usage: npx tsx scripts/facts.ts ARCHIVE [PATH_SUBSTRING]');
  process.exit(2);
}
await initPythonParser();
const { files } = await unpackArchive(new Uint8Array(readFileSync(archive)), basename(archive));
const ctx = new AnalysisContext({ ecosystem: 'pypi', name: 'x', version: '0', files });
for (const file of pythonPackageFacts(ctx).files) {
  if (filter && !file.path.includes(filter)) continue;
  console.log(`## ${file.path} (top level: ${file.topLevel})`);
  for (const f of file.facts)
    console.log(
      `  ${f.line} ${f.position} ${f.kind} ${f.name}${f.fn ? ` [${f.fn}]` : ''}${f.origins ? ` origins=${f.origins.join(',')}` : ''} ${(f.value ?? f.evidence).replace(/\s+/g, ' ').slice(0, 140)}`,
    );
}
