import type { Rule } from '../rule.js';
import { pyDownloadExecute } from './py-download-execute.js';
import { pyExecDecoded } from './py-exec-decoded.js';
import { pyExfiltration } from './py-exfiltration.js';
import { pyImportProcess } from './py-import-process.js';
import { pyInstallNetwork } from './py-install-network.js';
import { pyInstallProcess } from './py-install-process.js';
import { pyPthExec } from './py-pth-exec.js';
import { pySuspiciousEndpoint } from './py-suspicious-endpoint.js';

/** Code rules (Python and JavaScript behaviours), one small unit each. */
export const codeRules: Rule[] = [
  pyExecDecoded,
  pyInstallProcess,
  pyPthExec,
  pyDownloadExecute,
  pyExfiltration,
  pySuspiciousEndpoint,
  pyImportProcess,
  pyInstallNetwork,
];
