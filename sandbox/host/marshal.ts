// Moving plain values across the host-guest boundary. Functions here never keep a handle: they
// read the handles they are given (owned by the caller) and return new ones the caller owns.
// Every value built for the guest is first checked to fit in the guest's own capped memory.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { HOST_ALLOCATION_SLACK_BYTES } from './limits';

/**
 * The host was about to build a value in (or read one out of) the guest's memory that does not
 * fit under its cap. The environment turns it into Runtime.OutOfMemory and retires itself.
 */
export class GuestMemoryExhausted extends Error {
  constructor(neededBytes: number) {
    super(`out of memory: ${neededBytes} bytes for the guest do not fit under its memory cap`);
  }
}

/** The Emscripten allocator of the context's WASM instance (quickjs-emscripten keeps it private). */
interface GuestAllocator {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

/**
 * Throws GuestMemoryExhausted unless `bytes` can be allocated in the guest's memory now. The
 * library's own copies into WASM memory (newString, newArrayBuffer) never check malloc's answer:
 * on failure they write the value at address 0 of the guest's memory. So the room is claimed once
 * for real (malloc grows the memory up to the cap, which counts it) and freed for them to use.
 */
export function ensureGuestRoom(context: QuickJSContext, bytes: number): void {
  const allocator = (context as unknown as { memory: { module: GuestAllocator } }).memory.module;
  const needed = bytes + HOST_ALLOCATION_SLACK_BYTES;
  const pointer = allocator._malloc(needed);
  if (pointer === 0) throw new GuestMemoryExhausted(needed);
  allocator._free(pointer);
}

/** The argument as a string, or undefined for a missing/undefined/null argument. */
export function optionalString(context: QuickJSContext, handle: QuickJSHandle | undefined): string | undefined {
  if (handle === undefined) return undefined;
  const type = context.typeof(handle);
  if (type === 'undefined' || (type === 'object' && context.dump(handle) === null)) return undefined;
  const text = context.getString(handle);
  // Reading copies the string into guest memory as UTF-8 first; when that copy does not fit, the
  // library answers '' instead of failing.
  if (text === '' && type === 'string' && guestStringLength(context, handle) > 0) throw new GuestMemoryExhausted(0);
  return text;
}

function guestStringLength(context: QuickJSContext, handle: QuickJSHandle): number {
  const length = context.getProp(handle, 'length');
  try {
    return context.getNumber(length);
  } finally {
    length.dispose();
  }
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

/**
 * A new guest ArrayBuffer holding a copy of `bytes`. The caller owns the handle. Throws
 * GuestMemoryExhausted when it does not fit: the library copies the bytes in twice.
 */
export function newBytes(context: QuickJSContext, bytes: Uint8Array): QuickJSHandle {
  ensureGuestRoom(context, 2 * bytes.byteLength);
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  return context.newArrayBuffer(exact as ArrayBuffer);
}

/**
 * A new guest string, the caller owns the handle. Throws GuestMemoryExhausted when it does not
 * fit: the library copies it in as UTF-8, then QuickJS builds its own string (never larger).
 */
export function newGuestString(context: QuickJSContext, text: string): QuickJSHandle {
  // Short strings by their worst case (3 UTF-8 bytes per UTF-16 unit), long ones exactly.
  const utf8Bytes = text.length <= EXACT_LENGTH_FROM_CHARS ? 3 * text.length : utf8ByteLength(text);
  ensureGuestRoom(context, 2 * (utf8Bytes + 1));
  return context.newString(text);
}

/** Strings longer than this (in UTF-16 units) have their UTF-8 length counted before they go in. */
const EXACT_LENGTH_FROM_CHARS = 64 * 1024;

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
