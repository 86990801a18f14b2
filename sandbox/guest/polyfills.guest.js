// Runs inside QuickJS. Web and Node globals QuickJS lacks: queueMicrotask, TextEncoder/Decoder,
// atob/btoa, structuredClone, crypto, URL/URLSearchParams, performance, global. Owns no state
// beyond the objects it defines; UTF-8, randomness and URL parsing are bridged to the host.
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

  function toBytes(input) {
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
  }

  function utf8Encode(text) {
    return new Uint8Array(host.utf8Encode(String(text)));
  }

  function utf8Decode(bytes, fatal) {
    const view = toBytes(bytes);
    const copy = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view.buffer : view.slice().buffer;
    const text = host.utf8Decode(copy, Boolean(fatal));
    if (text === null) throw new TypeError('The encoded data was not valid for encoding utf-8');
    return text;
  }
  parts.utf8Encode = utf8Encode;
  parts.utf8Decode = utf8Decode;

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return utf8Encode(input); }
    encodeInto(source, destination) {
      const bytes = utf8Encode(source);
      const written = Math.min(bytes.length, destination.length);
      destination.set(bytes.subarray(0, written));
      return { read: written === bytes.length ? String(source).length : undefined, written };
    }
  }

  class TextDecoder {
    constructor(label = 'utf-8', options = {}) {
      const normalized = String(label).trim().toLowerCase();
      if (normalized !== 'utf-8' && normalized !== 'utf8' && normalized !== 'unicode-1-1-utf-8') throw new RangeError(`The "${label}" encoding is not supported`);
      this.fatal = Boolean(options.fatal);
      this.ignoreBOM = Boolean(options.ignoreBOM);
    }
    get encoding() { return 'utf-8'; }
    decode(input) {
      if (input === undefined) return '';
      const text = utf8Decode(input, this.fatal);
      return !this.ignoreBOM && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
  }
  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  define('btoa', function btoa(data) {
    const s = String(data);
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new DOMExceptionLike('Invalid character', 'InvalidCharacterError');
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < s.length ? B64[n & 63] : '=');
    }
    return out;
  });
  define('atob', function atob(data) {
    const s = String(data).replace(/[\t\n\f\r ]/g, '').replace(/={1,2}$/, '');
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new DOMExceptionLike('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
    let out = '';
    let bits = 0, buffer = 0;
    for (let i = 0; i < s.length; i++) {
      buffer = (buffer << 6) | B64.indexOf(s[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; out += String.fromCharCode((buffer >> bits) & 255); }
    }
    return out;
  });

  class DOMExceptionLike extends Error {
    constructor(message = '', name = 'Error') {
      super(message);
      this.name = name;
    }
  }
  if (typeof globalThis.DOMException !== 'function') define('DOMException', DOMExceptionLike);

  define('structuredClone', function structuredClone(value) {
    const seen = new Map();
    const clone = (v) => {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
        if (typeof v === 'symbol') throw new DOMExceptionLike(`${String(v)} could not be cloned.`, 'DataCloneError');
        return v;
      }
      if (typeof v === 'function') throw new DOMExceptionLike(`${v.name || 'function'} could not be cloned.`, 'DataCloneError');
      if (seen.has(v)) return seen.get(v);
      let out;
      if (v instanceof Date) out = new Date(v.getTime());
      else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
      else if (v instanceof ArrayBuffer) out = v.slice(0);
      else if (ArrayBuffer.isView(v)) {
        const buffer = clone(v.buffer);
        out = v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength) : new v.constructor(buffer, v.byteOffset, v.length);
      } else if (v instanceof Map) {
        out = new Map();
        seen.set(v, out);
        for (const [k, val] of v) out.set(clone(k), clone(val));
        return out;
      } else if (v instanceof Set) {
        out = new Set();
        seen.set(v, out);
        for (const val of v) out.add(clone(val));
        return out;
      } else if (v instanceof Error) {
        out = new (globalThis[v.name] && globalThis[v.name].prototype instanceof Error ? globalThis[v.name] : Error)(v.message);
        if (v.stack !== undefined) out.stack = v.stack;
      } else if (v instanceof Boolean || v instanceof Number || v instanceof String) out = Object(v.valueOf());
      else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) throw new DOMExceptionLike(`${Object.prototype.toString.call(v)} could not be cloned.`, 'DataCloneError');
      else if (Array.isArray(v)) {
        out = new Array(v.length);
        seen.set(v, out);
        for (const key of Object.keys(v)) out[key] = clone(v[key]);
        return out;
      } else {
        out = {};
        seen.set(v, out);
        for (const key of Object.keys(v)) out[key] = clone(v[key]);
        return out;
      }
      seen.set(v, out);
      return out;
    };
    return clone(value);
  });

  const MAX_RANDOM_BYTES = 65536;
  const crypto = {
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array) || array instanceof DataView || array instanceof Float32Array || array instanceof Float64Array) {
        throw new TypeError('The data argument must be an integer-type TypedArray');
      }
      if (array.byteLength > MAX_RANDOM_BYTES) throw new DOMExceptionLike(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (${MAX_RANDOM_BYTES})`, 'QuotaExceededError');
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(new Uint8Array(host.randomBytes(array.byteLength)));
      return array;
    },
    randomUUID() {
      const b = new Uint8Array(host.randomBytes(16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
  define('crypto', crypto);

  const timeOrigin = Date.now();
  if (typeof globalThis.performance !== 'object') {
    define('performance', { timeOrigin, now: () => Date.now() - timeOrigin });
  }

  // URLSearchParams: pure JS (application/x-www-form-urlencoded).
  const encodeForm = (s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const decodeForm = (s) => {
    try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
  };
  const LINKED_URL = Symbol('url');

  class URLSearchParams {
    constructor(init = '') {
      this._list = [];
      this[LINKED_URL] = null;
      if (init instanceof URLSearchParams) this._list = init._list.map(([k, v]) => [k, v]);
      else if (init !== null && typeof init === 'object') {
        if (typeof init[Symbol.iterator] === 'function') for (const [k, v] of init) this._list.push([String(k), String(v)]);
        else for (const key of Object.keys(init)) this._list.push([key, String(init[key])]);
      } else this._parse(String(init));
    }
    _parse(query) {
      this._list = [];
      const s = query.startsWith('?') ? query.slice(1) : query;
      for (const pair of s.split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        this._list.push(eq < 0 ? [decodeForm(pair), ''] : [decodeForm(pair.slice(0, eq)), decodeForm(pair.slice(eq + 1))]);
      }
    }
    _update() {
      const url = this[LINKED_URL];
      if (url) url._setSearchFromParams(this.toString());
    }
    get size() { return this._list.length; }
    append(name, value) { this._list.push([String(name), String(value)]); this._update(); }
    delete(name, value) {
      this._list = this._list.filter(([k, v]) => !(k === String(name) && (value === undefined || v === String(value))));
      this._update();
    }
    get(name) { const hit = this._list.find(([k]) => k === String(name)); return hit ? hit[1] : null; }
    getAll(name) { return this._list.filter(([k]) => k === String(name)).map(([, v]) => v); }
    has(name, value) { return this._list.some(([k, v]) => k === String(name) && (value === undefined || v === String(value))); }
    set(name, value) {
      const i = this._list.findIndex(([k]) => k === String(name));
      if (i < 0) this._list.push([String(name), String(value)]);
      else this._list = this._list.filter(([k], j) => j === i || k !== String(name)).map((e, j) => (j === i ? [String(name), String(value)] : e));
      this._update();
    }
    sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._update(); }
    forEach(callback, thisArg) { for (const [k, v] of this._list) callback.call(thisArg, v, k, this); }
    keys() { return this._list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
    entries() { return this._list.map(([k, v]) => [k, v])[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this._list.map(([k, v]) => `${encodeForm(k)}=${encodeForm(v)}`).join('&'); }
  }

  // URL: parsing is the host's (WHATWG) URL, called with plain strings and answered as JSON.
  const URL_FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'];
  function parseUrl(input, base, field, value) {
    const json = host.url(String(input), base === undefined ? null : String(base), field === undefined ? null : field, value === undefined ? null : String(value));
    return json === '' ? null : JSON.parse(json);
  }

  class URL {
    constructor(input, base) {
      const parsed = parseUrl(input, base);
      if (parsed === null) throw new TypeError(`Invalid URL: ${String(input)}`);
      this._fields = parsed;
      this._params = new URLSearchParams(parsed.search);
      this._params[LINKED_URL] = this;
    }
    static canParse(input, base) { return parseUrl(input, base) !== null; }
    static parse(input, base) { try { return new URL(input, base); } catch { return null; } }
    _set(field, value) {
      const parsed = parseUrl(this._fields.href, undefined, field, value);
      if (parsed === null) {
        if (field === 'href') throw new TypeError(`Invalid URL: ${value}`);
        return;
      }
      this._fields = parsed;
      if (field !== 'hash') this._params._parse(parsed.search);
    }
    _setSearchFromParams(query) {
      const parsed = parseUrl(this._fields.href, undefined, 'search', query);
      if (parsed !== null) this._fields = parsed;
    }
    get searchParams() { return this._params; }
    toString() { return this._fields.href; }
    toJSON() { return this._fields.href; }
  }
  for (const field of URL_FIELDS) {
    Object.defineProperty(URL.prototype, field, {
      get() { return this._fields[field]; },
      set: field === 'origin' ? undefined : function set(value) { this._set(field, value); },
      enumerable: true,
      configurable: true,
    });
  }
  define('URL', URL);
  define('URLSearchParams', URLSearchParams);
})
