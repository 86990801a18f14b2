// Code bundles: the uploaded zip, checked once on upload, stored in R2 by content hash, and its
// source files decoded for the sandbox on first use by an isolate (cached: keys are immutable).
import { unzipSync } from 'fflate';
import { invalidParameter, LambdaError } from '../errors';
import { UNZIPPED_MAX_BYTES, ZIP_MAX_BYTES } from '../limits';
import { checkZipEntry, readZipEntries } from './zip-entries';

export interface AcceptedZip {
  bytes: Uint8Array;
  /** Base64 SHA-256 of the zip, as Lambda's CodeSha256. */
  codeSha256: string;
  /** Hex SHA-256, used in storage keys. */
  hexSha256: string;
  /** Declared bytes of its entries unzipped (what Lambda's 262,144,000 bytes limit counts). */
  unzippedBytes: number;
}

const unzipFailed = () => invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');

/** The size limits a zip is accepted within, and what a client is told past each. */
export interface ZipLimits {
  zipMaxBytes: number;
  unzippedMaxBytes: number;
  zipTooLarge: string;
  unzippedTooLarge: string;
}

/** The platform's limits (Lambda's). */
export const PLATFORM_ZIP_LIMITS: ZipLimits = {
  zipMaxBytes: ZIP_MAX_BYTES,
  unzippedMaxBytes: UNZIPPED_MAX_BYTES,
  zipTooLarge: `Zipped size must be smaller than ${ZIP_MAX_BYTES} bytes`,
  unzippedTooLarge: `Unzipped size must be smaller than ${UNZIPPED_MAX_BYTES} bytes`,
};

/**
 * Decodes and checks an uploaded ZipFile (base64, or the bytes read from S3): size limits (`limits`, Lambda's unless given), a readable archive, at least one
 * file, no absolute or `..` paths, only stored and deflated entries that decompress to their
 * declared sizes (src/code/zip-entries.ts). Throws Lambda's exceptions; never a 500.
 */
export async function acceptZip(zipFile: string | Uint8Array, limits: ZipLimits = PLATFORM_ZIP_LIMITS): Promise<AcceptedZip> {
  let bytes: Uint8Array;
  try {
    bytes = typeof zipFile === 'string' ? Uint8Array.from(atob(zipFile), (ch) => ch.charCodeAt(0)) : zipFile;
  } catch {
    throw invalidParameter('Could not decode the ZipFile: it must be base64-encoded zip bytes.');
  }
  if (bytes.byteLength > limits.zipMaxBytes) {
    throw new LambdaError(413, 'RequestEntityTooLargeException', limits.zipTooLarge);
  }
  // Everything accepted here must load at invoke time: an entry that does not decompress would
  // answer 500 on every invocation instead of being refused now.
  let unzippedBytes = 0;
  let fileCount = 0;
  try {
    const entries = readZipEntries(bytes);
    // Declared sizes first, so nothing is inflated past the unzipped limit.
    for (const entry of entries) {
      if (entry.name.startsWith('/') || entry.name.split('/').includes('..')) throw unzipFailed();
      if (!entry.name.endsWith('/')) fileCount++;
      unzippedBytes += entry.declaredBytes;
      if (unzippedBytes > limits.unzippedMaxBytes) throw invalidParameter(limits.unzippedTooLarge);
    }
    for (const entry of entries) checkZipEntry(bytes, entry);
  } catch (error) {
    throw error instanceof LambdaError ? error : unzipFailed();
  }
  if (fileCount === 0) throw invalidParameter('Uploaded file must be a non-empty zip');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return {
    bytes,
    codeSha256: btoa(String.fromCharCode(...digest)),
    hexSha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
    unzippedBytes,
  };
}

/** R2 key of a function's zip. Per function, so deleting a function deletes its prefix. */
export function codeKey(accountId: string, functionName: string, hexSha256: string): string {
  return `code/${accountId}/${functionName}/${hexSha256}.zip`;
}

export function functionCodePrefix(accountId: string, functionName: string): string {
  return `code/${accountId}/${functionName}/`;
}

/** R2 key of a layer version's zip: apart from `code/`, so no function's delete reaches it (docs/LAYERS.md). */
export function layerCodeKey(accountId: string, layerName: string, hexSha256: string): string {
  return `${layerCodePrefix(accountId)}${layerName}/${hexSha256}.zip`;
}

/** Every layer zip of an account: deleted with the account. */
export function layerCodePrefix(accountId: string): string {
  return `layers/${accountId}/`;
}

/** Declared unzipped bytes of a stored zip (records from before faasbox kept the figure). */
export async function storedUnzippedBytes(bucket: R2Bucket, key: string): Promise<number> {
  const object = await bucket.get(key);
  if (!object) return 0;
  return readZipEntries(new Uint8Array(await object.arrayBuffer())).reduce((n, entry) => n + entry.declaredBytes, 0);
}

/** Files the sandbox can load; anything else in a bundle is not readable by guest code. */
const SOURCE_FILE = /\.(js|mjs|cjs|json|py)$/;
/**
 * Decoded source the isolate keeps for later invocations, in bytes (UTF-16, as the isolate holds
 * it): a 128 MB production isolate also holds the environments. A bundle larger than this is
 * decoded for each cold start and never kept.
 */
export const BUNDLE_CACHE_MAX_BYTES = 24 * 1024 * 1024;
/** Decoded bundles by R2 key, least recently used first; keys embed the content hash, so entries never go stale. */
const bundleCache = new Map<string, { files: Readonly<Record<string, string>>; bytes: number }>();
let bundleCacheBytes = 0;

/** What the bundle cache holds now (tests read it). */
export function bundleCacheStats(): { bundles: number; bytes: number } {
  return { bundles: bundleCache.size, bytes: bundleCacheBytes };
}

/**
 * The bundle's source files by path, decoded as UTF-8. Reads R2 once per isolate and key while
 * the bundle stays in the cache (an LRU by bytes: a deleted function's bundle goes as others need
 * the room). Throws when the object is missing (deleted between lookup and invoke).
 */
export async function loadSourceFiles(bucket: R2Bucket, key: string): Promise<Readonly<Record<string, string>>> {
  const cached = bundleCache.get(key);
  if (cached) {
    bundleCache.delete(key);
    bundleCache.set(key, cached);
    return cached.files;
  }
  const object = await bucket.get(key);
  if (!object) throw new Error(`code bundle ${key} is missing`);
  const entries = unzipSync(new Uint8Array(await object.arrayBuffer()), {
    filter: (file) => SOURCE_FILE.test(file.name) && !file.name.startsWith('__MACOSX/'),
  });
  const decoder = new TextDecoder();
  const files = Object.freeze(Object.fromEntries(Object.entries(entries).map(([path, data]) => [path, decoder.decode(data)])));
  let bytes = 0;
  for (const [path, source] of Object.entries(files)) bytes += 2 * (path.length + source.length);
  if (bytes > BUNDLE_CACHE_MAX_BYTES) return files;
  bundleCache.set(key, { files, bytes });
  bundleCacheBytes += bytes;
  for (const [oldKey, entry] of bundleCache) {
    if (bundleCacheBytes <= BUNDLE_CACHE_MAX_BYTES) break;
    bundleCache.delete(oldKey);
    bundleCacheBytes -= entry.bytes;
  }
  return files;
}
