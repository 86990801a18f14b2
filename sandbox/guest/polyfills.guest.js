// Runs inside QuickJS. The few Web and Node globals every environment defines up front: global,
// queueMicrotask, DOMException, performance. The larger polyfills (encoding, clone, crypto, url)
// are installed on first use of one of their globals (see guest-source.ts). Owns no state.
(function installPolyfills(host, parts) {
  'use strict';

  function define(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }

  define('global', globalThis);

  if (typeof globalThis.queueMicrotask !== 'function') {
    define('queueMicrotask', function queueMicrotask(callback) {
      if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
      Promise.resolve().then(() => callback());
    });
  }

  class DOMExceptionLike extends Error {
    constructor(message = '', name = 'Error') {
      super(message);
      this.name = name;
    }
  }
  if (typeof globalThis.DOMException !== 'function') define('DOMException', DOMExceptionLike);
  parts.DOMExceptionLike = DOMExceptionLike;

  const timeOrigin = Date.now();
  if (typeof globalThis.performance !== 'object') {
    define('performance', { timeOrigin, now: () => Date.now() - timeOrigin });
  }
})
