import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { jsFiles, jsWhenItRuns } from './shared/javascript.js';

/** JavaScript that writes into start-up locations (startup folder, Run keys, cron, shell rc). */
export const jsPersistence: Rule = {
  meta: {
    id: 'js-persistence',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'Installs persistence',
    description:
      'Code writes a file into, or runs a command for, a location that starts programs later (Windows startup folder or Run key, crontab, systemd, ~/.bashrc, LaunchAgents). Critical at install time.',
    references: ['https://attack.mitre.org/tactics/TA0003/'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of jsFiles(ctx)) {
      const places = file.facts.filter((f) => f.kind === 'persistence');
      if (places.length === 0) continue;
      const writes = file.facts.filter((f) => f.kind === 'file-write' || f.kind === 'process');
      if (writes.length === 0) continue;
      // the location must be what a write or command targets, not a string elsewhere in the file
      const targeted = places.filter((p) => writes.some((w) => w.line === p.line));
      const place = targeted.find((p) => !/shell start-up/.test(p.name)) ?? targeted[0];
      if (!place) continue;
      const automatic = writes.some((w) => w.position !== 'call');
      const install = writes.some((w) => w.position === 'install');
      const hidden = file.facts.some(
        (f) =>
          f.kind === 'hidden' ||
          f.kind === 'obfuscation' ||
          (f.kind === 'exec' && (f.origins?.length ?? 0) > 0),
      );
      // process managers (pm2 startup) and shell helpers write these when the user asks
      if (!automatic && !hidden && /shell start-up/.test(place.name)) continue;
      const severity: Severity = install ? 'critical' : automatic || hidden ? 'high' : 'medium';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: place.line,
        message: `Writes to a ${place.name} location (${place.value ?? ''}) so code runs again later; it ${jsWhenItRuns(install ? 'install' : writes[0].position)}.`,
        evidence: place.value ?? place.evidence,
      });
    }
    return findings;
  },
};
