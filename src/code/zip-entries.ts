// A zip's entries as its central directory lists them (the way fflate's unzipSync reads it, which
// is how bundles are loaded), and the check that each one is stored or deflated, decompresses, and
// has the size it declares. Decompressed bytes are counted, never kept.
import { Inflate } from 'fflate';

/** One central-directory entry: where its data lies and what it says about itself. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is refused by checkZipEntry. */
  method: number;
  encrypted: boolean;
  dataStart: number;
  compressedBytes: number;
  declaredBytes: number;
}

/** Why a zip was refused; bundle.ts turns every one into Lambda's "Could not unzip" answer. */
export class ZipRejected extends Error {}

const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
/** The end record sits within its 22 bytes plus a comment of at most 65,535 bytes of the end. */
const END_SEARCH_BYTES = 65_558;
/** Compressed bytes handed to the inflater at a time: bounds what one push can expand to (about 1,032x). */
const INFLATE_CHUNK_BYTES = 16 * 1024;

/**
 * The entries of `zip` in central-directory order. Throws ZipRejected when the directory or a
 * local header is missing, out of bounds or truncated.
 */
export function readZipEntries(zip: Uint8Array): ZipEntry[] {
  const u16 = (at: number) => (at + 2 <= zip.length ? zip[at] | (zip[at + 1] << 8) : reject('truncated'));
  const u32 = (at: number) => (at + 4 <= zip.length ? (zip[at] | (zip[at + 1] << 8) | (zip[at + 2] << 16) | (zip[at + 3] << 24)) >>> 0 : reject('truncated'));
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  let end = zip.length - 22;
  while (end >= 0 && zip.length - end <= END_SEARCH_BYTES && u32(end) !== END_OF_DIRECTORY) end--;
  if (end < 0 || zip.length - end > END_SEARCH_BYTES) reject('no end of central directory');
  let count = u16(end + 8);
  let at = u32(end + 16);
  let zip64 = end >= 20 && u32(end - 20) === ZIP64_LOCATOR;
  if (zip64) {
    const zip64End = u32(end - 12);
    zip64 = u32(zip64End) === ZIP64_END;
    if (zip64) {
      count = u32(zip64End + 32);
      at = u32(zip64End + 48);
    }
  }
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL_HEADER) reject('bad central directory entry');
    const flags = u16(at + 8);
    const nameBytes = u16(at + 28);
    const extraBytes = u16(at + 30);
    const nameStart = at + 46;
    if (nameStart + nameBytes + extraBytes > zip.length) reject('truncated');
    let compressedBytes = u32(at + 20);
    let declaredBytes = u32(at + 24);
    let localAt = u32(at + 42);
    const MAX32 = 0xffffffff;
    if (zip64 && (compressedBytes === MAX32 || declaredBytes === MAX32 || localAt === MAX32)) {
      // The zip64 extra field (id 1) holds, in this order, whichever of the three were 0xffffffff.
      let field = nameStart + nameBytes;
      const fieldsEnd = field + extraBytes;
      while (field + 4 < fieldsEnd && u16(field) !== 1) field += 4 + u16(field + 2);
      if (field + 4 >= fieldsEnd) reject('zip64 sizes missing');
      let value = field + 4;
      if (declaredBytes === MAX32) (declaredBytes = u64(value)), (value += 8);
      if (compressedBytes === MAX32) (compressedBytes = u64(value)), (value += 8);
      if (localAt === MAX32) localAt = u64(value);
    }
    const nameRaw = zip.subarray(nameStart, nameStart + nameBytes);
    // Bit 11: UTF-8 names; otherwise CP437, read as Latin-1 as fflate does.
    const name = flags & 0x800 ? new TextDecoder().decode(nameRaw) : String.fromCharCode(...nameRaw);
    if (u32(localAt) !== LOCAL_HEADER) reject('bad local header');
    const dataStart = localAt + 30 + u16(localAt + 26) + u16(localAt + 28);
    if (dataStart + compressedBytes > zip.length) reject('entry data truncated');
    entries.push({ name, method: u16(at + 10), encrypted: (flags & 1) === 1, dataStart, compressedBytes, declaredBytes });
    at = nameStart + nameBytes + extraBytes + u16(at + 32);
  }
  return entries;
}

/**
 * Checks that `entry` is stored or deflated, not encrypted, and decompresses to exactly its
 * declared size. Stops inflating as soon as the output passes the declared size (zip bombs that
 * lie about their size). Throws ZipRejected.
 */
export function checkZipEntry(zip: Uint8Array, entry: ZipEntry): void {
  if (entry.encrypted) reject(`${entry.name}: encrypted`);
  if (entry.method === 0) {
    if (entry.compressedBytes !== entry.declaredBytes) reject(`${entry.name}: stored size differs from declared size`);
    return;
  }
  if (entry.method !== 8) reject(`${entry.name}: compression method ${entry.method}`);
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedBytes);
  let inflatedBytes = 0;
  const inflater = new Inflate((chunk) => {
    inflatedBytes += chunk.length;
    if (inflatedBytes > entry.declaredBytes) reject(`${entry.name}: larger than declared`);
  });
  try {
    // The last push is final: a stream that has not ended by then is truncated and throws.
    for (let offset = 0; ; offset += INFLATE_CHUNK_BYTES) {
      const last = offset + INFLATE_CHUNK_BYTES >= data.length;
      inflater.push(data.subarray(offset, offset + INFLATE_CHUNK_BYTES), last);
      if (last) break;
    }
  } catch (error) {
    if (error instanceof ZipRejected) throw error;
    reject(`${entry.name}: ${error instanceof Error ? error.message : 'does not inflate'}`);
  }
  if (inflatedBytes !== entry.declaredBytes) reject(`${entry.name}: smaller than declared`);
}

function reject(reason: string): never {
  throw new ZipRejected(reason);
}
