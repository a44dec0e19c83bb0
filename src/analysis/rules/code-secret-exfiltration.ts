import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, runsWhen } from './shared/code.js';
import { CRYPTO_CONTEXT, NEEDS_CRYPTO_CONTEXT } from './shared/secrets.js';

/**
 * Wallet secrets (mnemonics, seed phrases, private keys, keystores, vaults) put into a network
 * request. Wallet and key libraries sign locally; one that sends the secret is stealing it,
 * even when the code runs only when called.
 */
export const codeSecretExfiltration: Rule = {
  meta: {
    id: 'code-secret-exfiltration',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Sends a wallet secret or private key over the network',
    description:
      'A network request carries a value named like a wallet secret (mnemonic, seed/recovery phrase, private key, keystore, vault) in its URL, body, JSON or parameters. Key names that cloud SDKs also use (private_key, secret_key) count only in files that deal with crypto wallets. High when called; critical at install/import time.',
    references: [
      'https://github.com/DataDog/guarddog (exfiltrate-sensitive-data)',
      'https://attack.mitre.org/techniques/T1552/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const sent = file.facts.filter((f) => f.kind === 'secret-send');
      if (sent.length === 0) continue;
      const text = ctx.text(file.path) ?? '';
      const crypto = CRYPTO_CONTEXT.test(text);
      const real = sent.filter((f) => !NEEDS_CRYPTO_CONTEXT.test(f.name) || crypto);
      if (real.length === 0) continue;
      const lead = real.find(isAutomatic) ?? real[0];
      findings.push({
        rule: this.meta.id,
        severity: isAutomatic(lead) ? 'critical' : 'high',
        file: file.path,
        line: lead.line,
        message: `Puts \`${lead.name}\` into a network request${lead.value ? ` to ${lead.value}` : ''}: a wallet or key library has no reason to send it anywhere; it ${runsWhen(ctx, lead.position)}.`,
        evidence: lead.evidence,
      });
    }
    return findings;
  },
};
