// The guest runtime's bootstrap script, assembled once per isolate from the *.guest.js files.
// Owns nothing at run time: a constant string.
import errorsSource from '../guest/errors.guest.js';
import formatSource from '../guest/format.guest.js';
import consoleSource from '../guest/console.guest.js';
import polyfillsSource from '../guest/polyfills.guest.js';
import timersSource from '../guest/timers.guest.js';
import fetchSource from '../guest/fetch.guest.js';
import loaderSource from '../guest/loader.guest.js';
import runtimeSource from '../guest/runtime.guest.js';
import { MAX_LOG_LINE_CHARS, MAX_RESPONSE_BYTES } from './limits';

/** Global name the host functions are installed under; the bootstrap deletes it before user code runs. */
export const HOST_GLOBAL = '__faasboxHost';

/** File name guest frames of the runtime carry (they are filtered out of traces). */
export const RUNTIME_FILENAME = 'faasbox:runtime';

// Order matters: each installer reads what the earlier ones put on `parts`.
const INSTALLERS = [errorsSource, formatSource, consoleSource, polyfillsSource, timersSource, fetchSource, loaderSource, runtimeSource];

/**
 * Evaluates (as a script) to the runtime object of guest/runtime.guest.js. The host object is
 * captured in the closure and removed from globalThis, so user code can never reach it.
 */
export const BOOTSTRAP_SOURCE = `(function () {
'use strict';
const host = globalThis.${HOST_GLOBAL};
delete globalThis.${HOST_GLOBAL};
const parts = { limits: ${JSON.stringify({ maxLogLineChars: MAX_LOG_LINE_CHARS, maxResponseBytes: MAX_RESPONSE_BYTES })} };
${INSTALLERS.map((source) => `(${source.trim().replace(/;$/, '')})(host, parts);`).join('\n')}
return parts.runtime;
})()`;
