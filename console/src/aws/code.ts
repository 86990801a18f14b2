// A function's code as the Code tab handles it: zips built and unpacked in the browser (fflate),
// UpdateFunctionCode with the zip as base64, the deployed zip fetched from GetFunction's
// Code.Location, a quick invoke for the Code tab's Test button, and Lambda's rules for handler
// files, module kinds and bundle paths.
import { strToU8, unzipSync, zipSync } from 'fflate';
import { errorOf, restJson, signedFetch } from './client';
import { getFunction, lambdaPath, type FunctionConfiguration } from './lambda';

/** One file of a bundle: editable text, or bytes the editor does not show (images, binaries). */
export type BundleFile = { path: string; text: string } | { path: string; bytes: Uint8Array };

/** Lambda's console edits packages up to this size (the zip's CodeSize) inline; above it, read only. */
export const INLINE_EDIT_MAX_BYTES = 3 * 1024 * 1024;

/** Text when the bytes are valid UTF-8 without NUL characters, else undefined. */
function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The files of a zip, sorted by path (folders are implied by paths, so their entries are dropped). */
export function unzipBundle(zip: Uint8Array): BundleFile[] {
  const entries = unzipSync(zip);
  return Object.entries(entries)
    .filter(([path]) => !path.endsWith('/'))
    .map(([path, bytes]): BundleFile => {
      const text = textOf(bytes);
      return text === undefined ? { path, bytes } : { path, text };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** A deflated zip of the files. */
export function zipBundle(files: readonly BundleFile[]): Uint8Array {
  return zipSync(Object.fromEntries(files.map((f) => [f.path, 'text' in f ? strToU8(f.text) : f.bytes])), { level: 6 });
}

/** Bytes as base64, in chunks (String.fromCharCode of a whole 50 MB zip would overflow the stack). */
export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** UpdateFunctionCode with the zip inline (as `aws lambda update-function-code --zip-file`). */
export function updateFunctionCode(name: string, zip: Uint8Array): Promise<FunctionConfiguration> {
  return restJson('PUT', lambdaPath(`/functions/${encodeURIComponent(name)}/code`), { ZipFile: base64Of(zip) });
}

/**
 * The deployed zip's bytes. GetFunction's Code.Location is a link that expires (10 minutes) and
 * carries its own authorisation, like a presigned S3 URL, so it is asked for fresh and fetched
 * unsigned; on this origin, since the link names the host the API was called by. `freshLocation`:
 * a Location GetFunction returned just now.
 */
export async function downloadDeployedZip(name: string, freshLocation?: string): Promise<Uint8Array<ArrayBuffer>> {
  const location = freshLocation ?? (await getFunction(name)).Code?.Location;
  if (!location) throw new Error('GetFunction returned no Code.Location for this function.');
  const url = new URL(location);
  const response = await fetch(new URL(url.pathname + url.search, window.location.origin), { credentials: 'omit' });
  if (!response.ok) throw await errorOf(response);
  return new Uint8Array(await response.arrayBuffer());
}

/** What an invocation answered: the payload text and, for a function error, its decoded error. */
export interface InvokeAnswer {
  payload: string;
  functionError?: string;
  error?: { errorType: string; errorMessage: string; trace?: string[] };
}

/** A RequestResponse invoke with `event` (JSON text), as the Code tab's Test button runs it. */
export async function invokeOnce(name: string, event = '{}'): Promise<InvokeAnswer> {
  const response = await signedFetch('lambda', lambdaPath(`/functions/${encodeURIComponent(name)}/invocations`), { method: 'POST', body: event });
  if (!response.ok) throw await errorOf(response);
  const payload = await response.text();
  const functionError = response.headers.get('x-amz-function-error') ?? undefined;
  if (!functionError) return { payload };
  try {
    return { payload, functionError, error: JSON.parse(payload) as InvokeAnswer['error'] };
  } catch {
    return { payload, functionError };
  }
}

/** The files Lambda looks for a handler's module in: `src/app.handler` -> src/app, .js, .mjs, .cjs; a Python runtime's `pkg.mod.fn` -> pkg/mod.py. */
export function handlerFileCandidates(handler: string | undefined): string[] {
  if (!handler) return [];
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1) return [];
  const modulePath = handler.slice(0, dot);
  // Python's handler splits at its last dot, and its dots are package separators (pkg.mod.fn -> pkg/mod.py).
  const pythonModule = handler.slice(0, handler.lastIndexOf('.')).replace(/\./g, '/');
  return [modulePath, `${modulePath}.js`, `${modulePath}.mjs`, `${modulePath}.cjs`, `${pythonModule}.py`];
}

/** The handler's file among `paths`, in Lambda's lookup order. */
export function handlerFile(handler: string | undefined, paths: readonly string[]): string | undefined {
  return handlerFileCandidates(handler).find((candidate) => paths.includes(candidate));
}

/** How the sandbox loads a file: ESM for .mjs, or .js under a nearest package.json with "type": "module". */
export function moduleKindOf(path: string, textOfPath: (path: string) => string | undefined): 'esm' | 'cjs' | 'json' | 'other' {
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.mjs')) return 'esm';
  if (path.endsWith('.cjs')) return 'cjs';
  if (!path.endsWith('.js')) return 'other';
  const parts = path.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth--) {
    const manifest = textOfPath([...parts.slice(0, depth), 'package.json'].join('/'));
    if (manifest === undefined) continue;
    try {
      return (JSON.parse(manifest) as { type?: unknown }).type === 'module' ? 'esm' : 'cjs';
    } catch {
      return 'cjs';
    }
  }
  return 'cjs';
}

/** Why a bundle path would be refused (as UpdateFunctionCode refuses `/` and `..`), or undefined when fine. */
export function invalidPathReason(path: string, existing: readonly string[]): string | undefined {
  if (path.trim() === '') return 'Enter a file name.';
  if (path !== path.trim()) return 'A file name cannot start or end with spaces.';
  if (path.startsWith('/')) return 'Use a path relative to the bundle root (no leading /).';
  if (path.endsWith('/')) return 'Name a file, not a folder.';
  if (path.split('/').some((part) => part === '..' || part === '.' || part === '')) return 'A path cannot contain empty, "." or ".." parts.';
  if (existing.includes(path)) return `${path} already exists.`;
  if (existing.some((other) => other.startsWith(`${path}/`))) return `${path} is a folder.`;
  const file = existing.find((other) => path.startsWith(`${other}/`));
  if (file) return `${file} is a file, not a folder.`;
  return undefined;
}
