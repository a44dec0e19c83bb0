import { createRequire as __pkgGateCreateRequire } from 'node:module'; const require = __pkgGateCreateRequire(import.meta.url);

// src/action.ts
async function runAction() {
}

// src/index.ts
await runAction();
