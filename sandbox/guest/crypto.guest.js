// Runs inside QuickJS, installed on first use. crypto.getRandomValues and randomUUID; randomness
// is the host's. crypto.subtle: SHA-256 digests and HMAC-SHA-256 keys (what SigV4 signers such as
// aws4fetch and the AWS SDK need), computed by the host; other algorithms reject with
// NotSupportedError. Owns no state but each key's bytes.
(function installCrypto(host, parts) {
  'use strict';

  function define(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }

  const { DOMExceptionLike } = parts;

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
  crypto.subtle = subtleCrypto();
  define('crypto', crypto);

  function subtleCrypto() {
    /** The raw bytes of each key this part made; a key object alone gives nothing away. */
    const keyBytes = new WeakMap();
    const notSupported = (what) => Promise.reject(new DOMExceptionLike(`${what} is not supported by faasbox's crypto.subtle (SHA-256 digests and HMAC-SHA-256 only)`, 'NotSupportedError'));
    const algorithmName = (algorithm) => String(typeof algorithm === 'string' ? algorithm : algorithm && algorithm.name).toUpperCase();
    // A copy as an ArrayBuffer, the one shape the host reads bytes from.
    const bytesOf = (data) => {
      if (data instanceof ArrayBuffer) return data.slice(0);
      if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      throw new TypeError('Failed to execute on SubtleCrypto: the data is not a BufferSource');
    };
    const hmacKey = (key) => {
      const bytes = keyBytes.get(key);
      if (bytes === undefined) throw new DOMExceptionLike('The key is not an HMAC key of this crypto.subtle', 'InvalidAccessError');
      return bytes;
    };
    // Each method is async, as Web Crypto's: its errors are rejections, never throws.
    return {
      async digest(algorithm, data) {
        if (algorithmName(algorithm) !== 'SHA-256') return notSupported(`digest ${algorithmName(algorithm)}`);
        return host.sha256(bytesOf(data));
      },
      async importKey(format, keyData, algorithm, extractable, usages) {
        const hash = algorithm && algorithm.hash;
        if (format !== 'raw' || algorithmName(algorithm) !== 'HMAC' || algorithmName(hash) !== 'SHA-256') return notSupported(`importKey ${format} ${algorithmName(algorithm)}`);
        const bytes = bytesOf(keyData);
        const key = Object.freeze({ type: 'secret', extractable: Boolean(extractable), algorithm: Object.freeze({ name: 'HMAC', hash: Object.freeze({ name: 'SHA-256' }), length: bytes.byteLength * 8 }), usages: Object.freeze([...usages]) });
        keyBytes.set(key, bytes);
        return key;
      },
      async sign(algorithm, key, data) {
        if (algorithmName(algorithm) !== 'HMAC') return notSupported(`sign ${algorithmName(algorithm)}`);
        return host.hmacSha256(hmacKey(key), bytesOf(data));
      },
      async verify(algorithm, key, signature, data) {
        if (algorithmName(algorithm) !== 'HMAC') return notSupported(`verify ${algorithmName(algorithm)}`);
        const expected = new Uint8Array(host.hmacSha256(hmacKey(key), bytesOf(data)));
        const given = new Uint8Array(bytesOf(signature));
        let difference = expected.byteLength ^ given.byteLength;
        for (let i = 0; i < expected.byteLength; i++) difference |= expected[i] ^ (given[i] ?? 0);
        return difference === 0;
      },
      encrypt: () => notSupported('encrypt'),
      decrypt: () => notSupported('decrypt'),
      generateKey: () => notSupported('generateKey'),
      deriveKey: () => notSupported('deriveKey'),
      deriveBits: () => notSupported('deriveBits'),
      exportKey: () => notSupported('exportKey'),
      wrapKey: () => notSupported('wrapKey'),
      unwrapKey: () => notSupported('unwrapKey'),
    };
  }
})
