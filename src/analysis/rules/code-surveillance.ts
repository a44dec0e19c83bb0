import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, leading, runsWhen, sends } from './shared/code.js';

/**
 * Spyware capabilities: reading the clipboard, recording keystrokes, taking screenshots, and
 * clipboard hijacking (replacing a copied crypto address). A capability alone is a lead (medium);
 * sending data from the same file or running on its own makes it high, both critical.
 */
export const codeSurveillance: Rule = {
  meta: {
    id: 'code-surveillance',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Watches the user: clipboard, keystrokes or screenshots',
    description:
      'Code reads the clipboard, hooks the keyboard or captures the screen (pyperclip, pynput, ImageGrab, pyautogui, clipboardy, iohook, screenshot-desktop, pbpaste/xclip/Get-Clipboard, CopyFromScreen), or swaps clipboard contents that match crypto-wallet address patterns. Medium alone; high when the same file sends data over the network or the code runs at install/import time; critical with both. Clipboard hijacking is high on its own.',
    references: [
      'https://github.com/DataDog/guarddog (clipboard-access)',
      'https://attack.mitre.org/techniques/T1115/',
      'https://attack.mitre.org/techniques/T1056/001/',
      'https://attack.mitre.org/techniques/T1113/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const watch = file.facts.filter((f) => f.kind === 'surveillance');
      const clipboardWrites = file.facts.filter(
        (f) => f.kind === 'clipboard-write' && f.name === 'writes the clipboard',
      );
      const walletPattern = file.facts.find(
        (f) => f.kind === 'clipboard-write' && f.name === 'matches crypto wallet addresses',
      );
      const out = sends(file);
      if (clipboardWrites.length && walletPattern) {
        const lead = leading(clipboardWrites)!;
        findings.push({
          rule: this.meta.id,
          severity: isAutomatic(lead) ? 'critical' : 'high',
          file: file.path,
          line: lead.line,
          message: `Replaces clipboard contents that match crypto-wallet address patterns (line ${walletPattern.line}): a clipper that swaps the address a user pastes for the attacker's; it ${runsWhen(ctx, lead.position)}.`,
          evidence: walletPattern.value ?? walletPattern.evidence,
        });
        continue;
      }
      if (watch.length === 0) continue;
      const lead = leading(watch)!;
      const labels = [...new Set(watch.map((f) => f.name))];
      const automatic = watch.some(isAutomatic);
      let severity: Severity = 'medium';
      if (out.length && automatic) severity = 'critical';
      else if (out.length || automatic) severity = 'high';
      const send = leading(out);
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message:
          `This code ${labels.join(', ')}` +
          (send ? ` and the same file sends data with \`${send.name}\` (line ${send.line})` : '') +
          `; it ${runsWhen(ctx, lead.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
