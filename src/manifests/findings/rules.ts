/** Rule ids of the findings that live in dependency files (catalogued in analysis/catalog.ts). */
export const LOCKFILE_FOREIGN_HOST = 'lockfile-foreign-host';
export const DEPENDENCY_BYPASSES_REGISTRY = 'dependency-bypasses-registry';
export const NEW_PACKAGE_INDEX = 'new-package-index';
export const LOCKFILE_ONLY_ADDITION = 'lockfile-only-addition';
export const REQUIREMENTS_REMOTE_INCLUDE = 'requirements-remote-include';
