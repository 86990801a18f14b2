// Digests computed as bytes stream past: SHA-256, SHA-1 and MD5 by the runtime's DigestStream,
// CRC32 and CRC32C by @aws-crypto's (the AWS SDKs' own), for S3's payload hashes, Content-MD5 and
// additional checksums (x-amz-checksum-*).
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';

/** The hashes the runtime streams. */
export type StreamedHash = 'SHA-256' | 'SHA-1' | 'MD5';

/** One running hash: bytes in with update(), the digest once with bytes(). */
export class Digest {
  private readonly stream: DigestStream;
  private readonly writer: WritableStreamDefaultWriter<ArrayBuffer | ArrayBufferView>;

  constructor(algorithm: StreamedHash) {
    this.stream = new crypto.DigestStream(algorithm);
    this.writer = this.stream.getWriter();
  }

  update(bytes: Uint8Array): Promise<void> {
    return this.writer.write(bytes);
  }

  async bytes(): Promise<Uint8Array> {
    await this.writer.close();
    return new Uint8Array(await this.stream.digest);
  }

  async hex(): Promise<string> {
    return toHex(await this.bytes());
  }
}

/** S3's additional checksum algorithms (x-amz-checksum-<name>), as the header names them. */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** A running additional checksum; its value base64, as S3 sends it (a CRC big-endian in 4 bytes). */
export class Checksum {
  private readonly crc?: Crc32 | Crc32c;
  private readonly digest?: Digest;

  constructor(readonly algorithm: ChecksumAlgorithm) {
    if (algorithm === 'crc32') this.crc = new Crc32();
    else if (algorithm === 'crc32c') this.crc = new Crc32c();
    else this.digest = new Digest(algorithm === 'sha1' ? 'SHA-1' : 'SHA-256');
  }

  async update(bytes: Uint8Array): Promise<void> {
    if (this.crc) this.crc.update(bytes);
    else await this.digest!.update(bytes);
  }

  async base64(): Promise<string> {
    if (this.digest) return toBase64(await this.digest.bytes());
    const value = this.crc!.digest();
    return toBase64(new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]));
  }
}

export const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
