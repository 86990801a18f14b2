// Moving plain values across the host-guest boundary. Functions here never keep a handle: they
// read the handles they are given (owned by the caller) and return new ones the caller owns.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';

/** The argument as a string, or undefined for a missing/undefined/null argument. */
export function optionalString(context: QuickJSContext, handle: QuickJSHandle | undefined): string | undefined {
  if (handle === undefined) return undefined;
  const type = context.typeof(handle);
  if (type === 'undefined' || (type === 'object' && context.dump(handle) === null)) return undefined;
  return context.getString(handle);
}

export function requiredString(context: QuickJSContext, handle: QuickJSHandle | undefined): string {
  return optionalString(context, handle) ?? '';
}

/** Copies the bytes of a guest ArrayBuffer out of WASM memory; undefined when it is not one. */
export function optionalBytes(context: QuickJSContext, handle: QuickJSHandle | undefined): Uint8Array | undefined {
  if (handle === undefined || context.typeof(handle) !== 'object') return undefined;
  try {
    const lifetime = context.getArrayBuffer(handle);
    try {
      return lifetime.value.slice();
    } finally {
      lifetime.dispose();
    }
  } catch {
    return undefined;
  }
}

/** A new guest ArrayBuffer holding a copy of `bytes`. The caller owns the handle. */
export function newBytes(context: QuickJSContext, bytes: Uint8Array): QuickJSHandle {
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  return context.newArrayBuffer(exact as ArrayBuffer);
}

/**
 * Name and message of a guest error, without its stack and without ever throwing: after an
 * out-of-memory error the value may not be readable at all (then undefined).
 */
export function describeGuestError(context: QuickJSContext, handle: QuickJSHandle): { name: string; message: string } | undefined {
  try {
    const value: unknown = context.dump(handle);
    if (value !== null && typeof value === 'object') {
      const { name, message } = value as { name?: unknown; message?: unknown };
      return { name: String(name ?? ''), message: String(message ?? '') };
    }
    return { name: typeof value, message: String(value) };
  } catch {
    return undefined;
  }
}

/** Number of UTF-8 bytes of a string, without encoding it. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
