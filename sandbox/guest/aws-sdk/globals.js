// Runs inside QuickJS, injected by scripts/guest-sdk.mjs into every preinstalled AWS SDK package
// (esbuild `inject`): the globals the SDK's browser build reads that the guest has none of. Each
// name here replaces that package's free references to the global, nothing else's.

// The abort-controller polyfill (lib-storage aborts its part uploads with one; the SDK passes its signals on).
export { AbortController, AbortSignal } from 'abort-controller';

/**
 * The guest has no web streams, so no value can be one: the SDK's `body instanceof ReadableStream`
 * checks answer false, and making one says why. Bodies are strings, bytes and Node streams
 * (readable-stream), as in the SDK's Node.js build.
 */
export const ReadableStream = globalThis.ReadableStream ?? class ReadableStream {
  constructor() {
    throw new TypeError('ReadableStream is not available in faasbox functions: use a string, a Uint8Array or a Node stream (require("stream"))');
  }
};
