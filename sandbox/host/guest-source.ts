// The guest runtime's sources, assembled once per isolate from the *.guest.js files: the bootstrap
// script every environment evaluates, and the lazy parts it installs on first use. Owns nothing at
// run time: constant strings.
import errorsSource from '../guest/errors.guest.js';
import formatSource from '../guest/format.guest.js';
import consoleSource from '../guest/console.guest.js';
import polyfillsSource from '../guest/polyfills.guest.js';
import encodingSource from '../guest/encoding.guest.js';
import cloneSource from '../guest/clone.guest.js';
import cryptoSource from '../guest/crypto.guest.js';
import urlSource from '../guest/url.guest.js';
import timersSource from '../guest/timers.guest.js';
import fetchSource from '../guest/fetch.guest.js';
// Generated from the npm `buffer` package by scripts/guest-vendor.mjs (not committed).
import bufferSource from '../guest/buffer.vendor.guest.js';
import loaderSource from '../guest/loader.guest.js';
import runtimeSource from '../guest/runtime.guest.js';
import { MAX_LOG_LINE_CHARS, MAX_RESPONSE_BYTES } from './limits';

/** Global name the host functions are installed under; the bootstrap deletes it before user code runs. */
export const HOST_GLOBAL = '__faasboxHost';

/** File name guest frames of the runtime carry (they are filtered out of traces). */
export const RUNTIME_FILENAME = 'faasbox:runtime';

/** An installer's source as an expression that evaluates to the installer function. */
const asExpression = (source: string): string => `(${source.trim().replace(/;$/, '')})`;

// Order matters: each installer reads what the earlier ones put on `parts`.
const INSTALLERS = [errorsSource, polyfillsSource, loaderSource, runtimeSource];

/**
 * Installers evaluated only when guest code first touches one of their globals or `parts` entries.
 * QuickJS parses and compiles every function of a script up front (about 0.4 ms per KB in workerd),
 * so a cold start pays only for what it uses. Each one may read `parts` entries of the others
 * (through the same lazy accessors).
 */
const LAZY_PARTS: Record<string, { source: string; globals: string[]; parts: string[] }> = {
  console: { source: consoleSource, globals: ['console'], parts: [] },
  // Replaces the `parts.timers` stub of the bootstrap.
  timers: { source: timersSource, globals: ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'], parts: [] },
  format: { source: formatSource, globals: [], parts: ['format', 'inspect'] },
  encoding: { source: encodingSource, globals: ['TextEncoder', 'TextDecoder', 'btoa', 'atob'], parts: ['utf8Encode', 'utf8Decode'] },
  clone: { source: cloneSource, globals: ['structuredClone'], parts: [] },
  crypto: { source: cryptoSource, globals: ['crypto'], parts: [] },
  url: { source: urlSource, globals: ['URL', 'URLSearchParams'], parts: [] },
  // Replaces the `parts.fetches` stub of the bootstrap.
  fetch: { source: fetchSource, globals: ['Headers', 'Request', 'Response', 'fetch'], parts: [] },
  // About 60 KB: the largest part, so the one that matters most to keep off the cold start.
  // `parts.bufferModule` is what require('buffer') and `import 'node:buffer'` return.
  buffer: { source: bufferSource, globals: ['Buffer'], parts: ['bufferModule'] },
};

/** Source of each lazy part, evaluated by the host (host.install) to its installer function. */
export const LAZY_PART_SOURCES: ReadonlyMap<string, string> = new Map(Object.entries(LAZY_PARTS).map(([name, part]) => [name, asExpression(part.source)]));

/**
 * Defines the lazy parts: an accessor per global (a getter that installs the part, a setter that
 * just stores the value, as for any writable global) and per `parts` entry. Installing one
 * removes its accessors first; a global that user code replaced or deleted meanwhile is put back
 * as it was afterwards. Built-ins are captured here, before any user code can replace them.
 */
const LAZY_LOADER = `(function installLazyParts(host, parts, manifest) {
  'use strict';
  const { defineProperty, getOwnPropertyDescriptor } = Object;
  const deleteProperty = Reflect.deleteProperty;
  const getters = new Map();
  const installed = new Set();
  function install(name) {
    if (installed.has(name)) return;
    const part = manifest[name];
    const installer = host.install(name);
    installed.add(name);
    const replaced = [];
    for (const global of part.globals) {
      const descriptor = getOwnPropertyDescriptor(globalThis, global);
      if (descriptor !== undefined && descriptor.get === getters.get(global)) deleteProperty(globalThis, global);
      else replaced.push([global, descriptor]);
    }
    for (const key of part.parts) deleteProperty(parts, key);
    installer(host, parts);
    for (const [global, descriptor] of replaced) {
      if (descriptor === undefined) deleteProperty(globalThis, global);
      else defineProperty(globalThis, global, descriptor);
    }
  }
  for (const name of Object.keys(manifest)) {
    for (const global of manifest[name].globals) {
      const get = function () { install(name); return globalThis[global]; };
      getters.set(global, get);
      defineProperty(globalThis, global, {
        get,
        set(value) { defineProperty(globalThis, global, { value, writable: true, configurable: true, enumerable: false }); },
        configurable: true,
        enumerable: false,
      });
    }
    for (const key of manifest[name].parts) {
      defineProperty(parts, key, { get() { install(name); return parts[key]; }, configurable: true, enumerable: true });
    }
  }
})`;

const MANIFEST = Object.fromEntries(Object.entries(LAZY_PARTS).map(([name, { globals, parts }]) => [name, { globals, parts }]));

/**
 * Evaluates (as a script) to the runtime object of guest/runtime.guest.js. The host object is
 * captured in the closure and removed from globalThis, so user code can never reach it.
 */
export const BOOTSTRAP_SOURCE = `(function () {
'use strict';
const host = globalThis.${HOST_GLOBAL};
delete globalThis.${HOST_GLOBAL};
const parts = {
  limits: ${JSON.stringify({ maxLogLineChars: MAX_LOG_LINE_CHARS, maxResponseBytes: MAX_RESPONSE_BYTES })},
  timers: { nextDue: () => -1, runDue() {}, clearAll() {} },
  fetches: { settle() {}, clearAll() {} },
};
${LAZY_LOADER}(host, parts, ${JSON.stringify(MANIFEST)});
${INSTALLERS.map((source) => `${asExpression(source)}(host, parts);`).join('\n')}
return parts.runtime;
})()`;
