import type { AnalysisContext } from '../context.js';
import { findEncodedBlobs, type EncodedBlob } from './entropy.js';
import { isSourcePath } from './names.js';

/** Media types that are shipped inline on purpose (images, fonts, source maps, wasm). */
const INLINE_ASSET =
  /^(?:image|font|audio|video)\/|^application\/(?:json|wasm|font-woff|x-font|octet-stream|vnd\.ms-fontobject|x-font-\w+)$/;

/**
 * Blobs of one source file that are not explained as inline assets, cached per package so that
 * several rules (and the code rules that want a "carries an encoded payload" capability) share
 * one scan.
 */
const cache = new WeakMap<AnalysisContext, Map<string, EncodedBlob[]>>();

export function suspiciousBlobs(ctx: AnalysisContext, path: string): EncodedBlob[] {
  let perFile = cache.get(ctx);
  if (!perFile) {
    perFile = new Map();
    cache.set(ctx, perFile);
  }
  const cached = perFile.get(path);
  if (cached) return cached;
  let blobs: EncodedBlob[] = [];
  if (isSourcePath(path)) {
    const text = ctx.text(path);
    if (text !== null) blobs = findEncodedBlobs(text).filter((b) => !isInlineAsset(b));
  }
  perFile.set(path, blobs);
  return blobs;
}

export function isInlineAsset(blob: EncodedBlob): boolean {
  if (blob.dataUri && INLINE_ASSET.test(blob.dataUri)) return true;
  const family = blob.decodedType?.family;
  return family === 'media' || blob.decodedType?.id === 'wasm';
}
