#!/usr/bin/env node
import { createRequire as __pkgGateCreateRequire } from 'node:module'; const require = __pkgGateCreateRequire(import.meta.url);

// src/cli/main.ts
async function main(_argv) {
  return 0;
}

// src/cli.ts
process.exitCode = await main(process.argv.slice(2));
