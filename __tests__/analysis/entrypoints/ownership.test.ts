import { describe, expect, it } from '@jest/globals';
import { autoloadedBy, commandStatus } from '../../../src/analysis/entrypoints/index.js';
import { commandKey, protectedClass } from '../../../src/analysis/entrypoints/ownership.js';
import { normalizePypiName, npmDefaultBinName } from '../../../src/analysis/entrypoints/names.js';

describe('ownership data', () => {
  it('knows real owners from the generated map, comparing PyPI names by PEP 503', () => {
    expect(commandStatus('pypi', 'aws', 'AWSCLI').ownedByPackage).toBe(true);
    expect(commandStatus('pypi', 'pip3', 'pip').ownedByPackage).toBe(true);
    expect(commandStatus('pypi', 'docker-compose', 'Docker_Compose').ownedByPackage).toBe(true);
    expect(commandStatus('npm', 'tsc', 'typescript').ownedByPackage).toBe(true);
    expect(commandStatus('npm', 'tsc', 'typescript-x').ownedByPackage).toBe(false);
    expect(commandStatus('pypi', 'aws', undefined).ownedByPackage).toBe(false);
  });

  it('classes system commands and developer CLIs, Windows launcher names included', () => {
    expect(protectedClass('ls')).toBe('system');
    expect(protectedClass('curl')).toBe('system');
    expect(protectedClass('sh')).toBe('system');
    expect(protectedClass('kubectl')).toBeDefined();
    expect(protectedClass('terraform')).toBe('developer');
    expect(protectedClass('pip.exe')).toBeDefined();
    expect(commandKey('aws.cmd')).toBe('aws');
    expect(protectedClass('my-own-tool')).toBeUndefined();
  });

  it('keeps auto-loaded groups as data, with wildcards', () => {
    expect(autoloadedBy('pytest11')).toContain('pytest');
    expect(autoloadedBy('sphinx.builders')).toContain('Sphinx');
    expect(autoloadedBy('jupyter_server.extension')).toBeDefined();
    expect(autoloadedBy('console_scripts')).toBeUndefined();
    expect(autoloadedBy('myapp.plugins')).toBeUndefined();
  });

  it('normalises names', () => {
    expect(normalizePypiName('Docker__Compose.x')).toBe('docker-compose-x');
    expect(npmDefaultBinName('@scope/tool')).toBe('tool');
  });
});
