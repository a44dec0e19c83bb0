import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { pyFiles } from './shared/python.js';

/**
 * Writes itself into places that run code later: Windows Run keys and startup folder, cron,
 * systemd units, shell start-up files, launch agents, scheduled tasks.
 */
export const pyPersistence: Rule = {
  meta: {
    id: 'py-persistence',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Installs persistence',
    description:
      'Code writes to (or runs a command for) a location that starts programs later: Windows Run keys or startup folder, crontab, systemd units, ~/.bashrc/.profile, macOS LaunchAgents, scheduled tasks. Critical at install time.',
    references: ['https://attack.mitre.org/tactics/TA0003/'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const places = file.facts.filter((f) => f.kind === 'persistence');
      if (places.length === 0) continue;
      // the location must be what a write or a command targets, not just a string in the file
      const targeted = places.filter((p) =>
        file.facts.some(
          (f) => f.line === p.line && (f.kind === 'file-write' || f.kind === 'process'),
        ),
      );
      const registry = /winreg\.SetValue|SetValueEx|reg(?:\.exe)?\s+add\s+\S*\\Run/i.test(
        ctx.text(file.path) ?? '',
      );
      // a few places are never legitimate targets, so naming them is enough
      const standalone = places.find((p) => /side-loading|UAC bypass/.test(p.name));
      const place =
        targeted[0] ??
        standalone ??
        (registry ? places.find((p) => /Run key/.test(p.name)) : undefined);
      if (!place) continue;
      const action =
        file.facts.find((f) => f.line === place.line && f.kind !== 'persistence') ?? place;
      const install = [place, action].some(
        (f) => f.position === 'install' || f.position === 'startup',
      );
      const automatic = install || action.position === 'import';
      const hidden = file.facts.some(
        (f) =>
          f.kind === 'hidden' ||
          f.kind === 'obfuscation' ||
          (f.kind === 'exec' && (f.origins?.length ?? 0) > 0),
      );
      // shell helpers (thefuck, pyenv) add lines to ~/.bashrc when the user asks; malware does it unasked
      if (!automatic && !hidden && /shell start-up/.test(place.name)) continue;
      // Windows start-up folder/Run keys, UAC bypasses and extension side-loading have no
      // legitimate library use; cron/systemd/shell rc edits do (process managers, shell helpers)
      const windowsAutostart = /Run key|startup folder|UAC bypass|side-loading/.test(place.name);
      const severity: Severity = install
        ? 'critical'
        : automatic || hidden || windowsAutostart
          ? 'high'
          : 'medium';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: place.line,
        message: `Writes to a ${place.name} location (${place.value ?? ''}) so code runs again later; it ${whenItRuns(install ? 'install' : action.position)}.`,
        evidence: place.value ?? place.evidence,
      });
    }
    return findings;
  },
};
