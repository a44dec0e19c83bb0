import type { Rule } from '../rule.js';
import { codeAgentPromptInjection } from './code-agent-prompt-injection.js';
import { codeAnalysisBudget } from './code-analysis-budget.js';
import { codeAntiAnalysis } from './code-anti-analysis.js';
import { codeLibraryHijack } from './code-library-hijack.js';
import { codeMemoryExecution } from './code-memory-execution.js';
import { codeProtestware } from './code-protestware.js';
import { codeSecretExfiltration } from './code-secret-exfiltration.js';
import { codeSteganography } from './code-steganography.js';
import { codeSurveillance } from './code-surveillance.js';
import { jsDownloadExecute } from './js-download-execute.js';
import { jsExecDecoded } from './js-exec-decoded.js';
import { jsExfiltration } from './js-exfiltration.js';
import { jsObfuscatedCode } from './js-obfuscated-code.js';
import { jsPersistence } from './js-persistence.js';
import { jsSuspiciousEndpoint } from './js-suspicious-endpoint.js';
import { npmInstallScript } from './npm-install-script.js';
import { npmSelfPropagation } from './npm-self-propagation.js';
import { pyDownloadExecute } from './py-download-execute.js';
import { pyExecDecoded } from './py-exec-decoded.js';
import { pyExfiltration } from './py-exfiltration.js';
import { pyImportProcess } from './py-import-process.js';
import { pyInstallNetwork } from './py-install-network.js';
import { pyInstallProcess } from './py-install-process.js';
import { pyObfuscatedCode } from './py-obfuscated-code.js';
import { pyPersistence } from './py-persistence.js';
import { pyReverseShell } from './py-reverse-shell.js';
import { pyPthExec } from './py-pth-exec.js';
import { pySelfPropagation } from './py-self-propagation.js';
import { pySuspiciousEndpoint } from './py-suspicious-endpoint.js';
import { pyUnsafeDeserialization } from './py-unsafe-deserialization.js';

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
  pyObfuscatedCode,
  pyReverseShell,
  pyPersistence,
  pyUnsafeDeserialization,
  npmInstallScript,
  jsExecDecoded,
  jsExfiltration,
  jsSuspiciousEndpoint,
  jsDownloadExecute,
  jsPersistence,
  jsObfuscatedCode,
  npmSelfPropagation,
  pySelfPropagation,
  codeSecretExfiltration,
  codeSurveillance,
  codeLibraryHijack,
  codeMemoryExecution,
  codeAntiAnalysis,
  codeSteganography,
  codeProtestware,
  codeAgentPromptInjection,
  codeAnalysisBudget,
];
