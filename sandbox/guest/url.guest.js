// Runs inside QuickJS, installed on first use. URL and URLSearchParams; URL parsing is the host's
// (WHATWG) URL, called with plain strings. Owns no state beyond the objects it defines.
(function installUrl(host, parts) {
  'use strict';

  function define(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
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
