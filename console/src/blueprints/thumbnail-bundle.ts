// The library the s3-thumbnail blueprint's function bundles: jpeg-js 0.4.4 (BSD-3-Clause, pinned in
// package.json) as its files, the text inlined at build time. Imported only lazily (catalog.ts),
// so it is a chunk of its own that the console's first load does not fetch.
/// <reference path="../raw.d.ts" />
import packageJson from 'jpeg-js/package.json?raw';
import index from 'jpeg-js/index.js?raw';
import encoder from 'jpeg-js/lib/encoder.js?raw';
import decoder from 'jpeg-js/lib/decoder.js?raw';
import license from 'jpeg-js/LICENSE?raw';

/** node_modules/jpeg-js as the function's zip holds it. */
export const JPEG_JS_FILES: Record<string, string> = {
  'node_modules/jpeg-js/package.json': packageJson,
  'node_modules/jpeg-js/index.js': index,
  'node_modules/jpeg-js/lib/encoder.js': encoder,
  'node_modules/jpeg-js/lib/decoder.js': decoder,
  'node_modules/jpeg-js/LICENSE': license,
};
