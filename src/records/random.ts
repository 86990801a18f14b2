// Random identifiers and numbers from the platform's cryptographic source (Web Crypto), shared
// by the objects that mint keys and by the function URL hosts.

/** `length` characters drawn uniformly from `alphabet`. */
export function randomChars(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A uniform number in [0, 1) from the platform's cryptographic random source. */
export function cryptoRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32;
}
