import type { Rule } from '../rule.js';
import { contentBidiControl } from '../rules/content-bidi-control.js';
import { contentConfusableIdentifier } from '../rules/content-confusable-identifier.js';
import { contentEncodedBlob } from '../rules/content-encoded-blob.js';
import { contentLongLine } from '../rules/content-long-line.js';
import { contentMismatchedType } from '../rules/content-mismatched-type.js';
import { contentNativeBinary } from '../rules/content-native-binary.js';
import { contentNestedArchive } from '../rules/content-nested-archive.js';
import { contentObfuscatedFile } from '../rules/content-obfuscated-file.js';
import { contentOversizedFile } from '../rules/content-oversized-file.js';

/** Non-code signals (what files are, how they look), independent of the language parsers. */
export const contentRules: Rule[] = [
  contentNativeBinary,
  contentNestedArchive,
  contentMismatchedType,
  contentBidiControl,
  contentConfusableIdentifier,
  contentObfuscatedFile,
  contentEncodedBlob,
  contentLongLine,
  contentOversizedFile,
];

// Helpers other rules may combine with (e.g. "obfuscated + network", "blob + exec").
export { suspiciousBlobs, isInlineAsset } from './blobs.js';
export { findEncodedBlobs, longLines, shannonEntropy, type EncodedBlob } from './entropy.js';
export { expectedBinaryReason } from './expected.js';
export { installContext, referencedAtInstall, type InstallContext } from './install.js';
export { sniff, type ContentType, type ContentFamily } from './magic.js';
export { archiveMemberNames } from './members.js';
export { isMinified, obfuscationSignals, shapeOf, type ObfuscationSignal } from './minified.js';
export { findBidiControls, findConfusableIdentifiers, skeleton } from './unicode.js';
