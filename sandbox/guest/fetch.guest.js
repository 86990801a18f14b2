// Runs inside QuickJS. fetch with Headers, Request and Response: owns the map of in-flight fetch
// promises of the current invocation; the host performs the request and settles it by id.
(function installFetch(host, parts) {
  'use strict';

  const { utf8Encode, utf8Decode } = parts;
  const pending = new Map();

  class Headers {
    constructor(init) {
      this._map = new Map();
      if (init instanceof Headers) for (const [k, v] of init) this.append(k, v);
      else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
      else if (init !== null && typeof init === 'object') {
        if (typeof init[Symbol.iterator] === 'function') for (const [k, v] of init) this.append(k, v);
        else for (const key of Object.keys(init)) this.append(key, init[key]);
      }
    }
    static _name(name) {
      const n = String(name).toLowerCase();
      if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(n)) throw new TypeError(`Invalid header name: "${name}"`);
      return n;
    }
    append(name, value) {
      const key = Headers._name(name);
      const v = String(value).trim();
      this._map.set(key, this._map.has(key) ? `${this._map.get(key)}, ${v}` : v);
    }
    set(name, value) { this._map.set(Headers._name(name), String(value).trim()); }
    get(name) { const v = this._map.get(String(name).toLowerCase()); return v === undefined ? null : v; }
    has(name) { return this._map.has(String(name).toLowerCase()); }
    delete(name) { this._map.delete(String(name).toLowerCase()); }
    forEach(callback, thisArg) { for (const [k, v] of this) callback.call(thisArg, v, k, this); }
    *entries() { yield* [...this._map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)); }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }

  /** Normalises any accepted body to bytes (or null), with the content type it implies. */
  function extractBody(body) {
    if (body === undefined || body === null) return { bytes: null, type: null };
    if (typeof body === 'string') return { bytes: utf8Encode(body), type: 'text/plain;charset=UTF-8' };
    if (body instanceof URLSearchParams) return { bytes: utf8Encode(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
    if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body.slice(0)), type: null };
    if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), type: null };
    return { bytes: utf8Encode(String(body)), type: 'text/plain;charset=UTF-8' };
  }

  class Body {
    _initBody(bytes) {
      this._bytes = bytes;
      this._used = false;
    }
    get bodyUsed() { return this._used; }
    get body() { return this._bytes === null ? null : { locked: false }; }
    _consume() {
      if (this._used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
      this._used = true;
      return Promise.resolve(this._bytes === null ? new Uint8Array(0) : this._bytes);
    }
    arrayBuffer() { return this._consume().then((b) => b.slice().buffer); }
    bytes() { return this._consume().then((b) => b.slice()); }
    text() { return this._consume().then((b) => utf8Decode(b, false)); }
    json() { return this.text().then((t) => JSON.parse(t)); }
  }

  class Request extends Body {
    constructor(input, init = {}) {
      super();
      const source = input instanceof Request ? input : null;
      this.url = source ? source.url : new URL(String(input)).href;
      this.method = String(init.method || (source ? source.method : 'GET')).toUpperCase();
      this.headers = new Headers(init.headers || (source ? source.headers : undefined));
      this.redirect = init.redirect || (source ? source.redirect : 'follow');
      this.signal = init.signal || null;
      const { bytes, type } = extractBody(init.body !== undefined ? init.body : null);
      if (bytes !== null && (this.method === 'GET' || this.method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
      if (type && !this.headers.has('content-type')) this.headers.set('content-type', type);
      this._initBody(bytes !== null ? bytes : source ? source._bytes : null);
    }
    clone() { return new Request(this, { body: this._bytes }); }
  }

  class Response extends Body {
    constructor(body = null, init = {}) {
      super();
      this.status = init.status === undefined ? 200 : Number(init.status);
      this.statusText = init.statusText === undefined ? '' : String(init.statusText);
      this.headers = new Headers(init.headers);
      this.url = init.url || '';
      this.redirected = Boolean(init.redirected);
      this.type = 'default';
      const { bytes, type } = extractBody(body);
      if (type && !this.headers.has('content-type')) this.headers.set('content-type', type);
      this._initBody(bytes);
    }
    get ok() { return this.status >= 200 && this.status < 300; }
    clone() { return new Response(this._bytes, this); }
    static json(data, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return new Response(JSON.stringify(data), { ...init, headers });
    }
    static error() { const r = new Response(null, { status: 0 }); r.type = 'error'; return r; }
    static redirect(url, status = 302) { return new Response(null, { status, headers: { location: String(url) } }); }
  }

  function fetch(input, init) {
    return new Promise((resolve, reject) => {
      const request = new Request(input, init);
      const meta = JSON.stringify({ url: request.url, method: request.method, headers: [...request.headers], redirect: request.redirect });
      const body = request._bytes === null ? undefined : request._bytes.slice().buffer;
      const answer = JSON.parse(host.fetch(meta, body));
      if (answer.error) throw new TypeError(answer.error);
      pending.set(answer.id, { resolve, reject });
    });
  }

  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define('Headers', Headers);
  define('Request', Request);
  define('Response', Response);
  define('fetch', fetch);

  parts.fetches = {
    settle(id, metaJson, body) {
      const waiter = pending.get(id);
      if (!waiter) return;
      pending.delete(id);
      const meta = JSON.parse(metaJson);
      if (meta.error) {
        waiter.reject(new TypeError(meta.error));
        return;
      }
      const response = new Response(body === undefined ? null : new Uint8Array(body), meta);
      waiter.resolve(response);
    },
    /** Forgets every in-flight fetch: their callbacks never run. */
    clearAll() { pending.clear(); },
  };
})
