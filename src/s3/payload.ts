// A PutObject's or UploadPart's body as a stream to R2, never held whole (docs/S3.md, "Requests"):
// aws-chunked framing removed and its signatures checked (./aws-chunked.ts), the signed hex
// SHA-256 and Content-MD5 checked by R2's put (one of them) or, where R2 cannot, here, and S3's
// additional checksum (x-amz-checksum-crc32/crc32c/sha1/sha256, a header or an aws-chunked
// trailer) computed as the bytes pass. Every check runs before the stream ends: a failing one
// errors it, so R2 stores nothing, and the refusal is kept for the answer.
import { awsChunkedDecoder, incompleteBody, type ChunkSignatures } from './aws-chunked';
import { CHECKSUM_ALGORITHMS, Checksum, Digest, toHex, type ChecksumAlgorithm } from './digests';
import { badDigest, S3Error, xAmzContentSha256Mismatch } from './errors';

/** The additional checksum a request declares: its algorithm, and its value when sent as a header (a trailer's comes at the end). */
export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  headerValue?: string;
}

/** What a streamed body is and how its bytes are framed and signed. */
export interface StreamedPayloadInput {
  source: ReadableStream<Uint8Array>;
  /** The object's bytes: Content-Length, or x-amz-decoded-content-length for aws-chunked. */
  length: number;
  /** The hex SHA-256 the client signed (x-amz-content-sha256), when it signed one. */
  sha256Hex?: string;
  /** aws-chunked framing, with its chunk signatures when signed. */
  chunked?: { signatures?: ChunkSignatures };
  checksum?: DeclaredChecksum;
}

const checksumName = (algorithm: ChecksumAlgorithm) => ({ crc32: 'CRC32', crc32c: 'CRC32C', sha1: 'SHA1', sha256: 'SHA256' })[algorithm];

/** S3's answer to an additional checksum that does not match the bytes. */
export const checksumMismatch = (algorithm: ChecksumAlgorithm) => new S3Error(400, 'BadDigest', `The ${checksumName(algorithm)} you specified did not match the calculated checksum.`);

/**
 * The additional checksum the request's headers declare: `x-amz-checksum-<algorithm>` (its value),
 * or `x-amz-trailer: x-amz-checksum-<algorithm>` (its value in the trailer). Another algorithm, or
 * two, is refused: faasbox does not compute them.
 */
export function declaredChecksum(headers: Headers): DeclaredChecksum | undefined {
  const named = [...headers.keys()].filter((name) => name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-mode' && name !== 'x-amz-checksum-type');
  const trailer = headers.get('x-amz-trailer')?.trim().toLowerCase();
  const names = [...named, ...(trailer ? [trailer] : [])];
  if (names.length === 0) return undefined;
  const algorithms = [...new Set(names.map((name) => name.slice('x-amz-checksum-'.length)))];
  if (algorithms.length > 1) throw new S3Error(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const algorithm = algorithms[0] as ChecksumAlgorithm;
  if (!names[0].startsWith('x-amz-checksum-') || !CHECKSUM_ALGORITHMS.includes(algorithm)) {
    throw new S3Error(400, 'InvalidRequest', `faasbox does not support the checksum ${names[0]}: only x-amz-checksum-${CHECKSUM_ALGORITHMS.join(', -')} are computed.`);
  }
  return { algorithm, headerValue: named.length > 0 ? headers.get(named[0])! : undefined };
}

/** A body streamed once to the store; `open` it, then read `failure` and `checksum` once the store is done. */
export class StreamedPayload {
  readonly length: number;
  readonly sha256Hex?: string;
  /** The refusal the stream met (a chunk signature, a digest, a length), once it has. */
  failure?: S3Error;
  /** The additional checksum, verified, once the stream has ended. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  private opened = false;

  constructor(private readonly input: StreamedPayloadInput) {
    this.length = input.length;
    this.sha256Hex = input.sha256Hex;
  }

  /**
   * The object's bytes, of exactly `length`, as a stream R2 takes. `sha256Here`: the signed
   * SHA-256 checked in the stream, and `md5` (Content-MD5) when given, for what the store does not
   * check itself (R2's uploadPart checks neither; its put takes one hash only).
   */
  open(options: { sha256Here: boolean; md5?: ArrayBuffer }): ReadableStream<Uint8Array> {
    if (this.opened) throw new Error('a streamed payload is read once');
    this.opened = true;
    let stream = this.input.source;
    let trailers: Record<string, string> = {};
    if (this.input.chunked) {
      const decoder = awsChunkedDecoder(this.input.chunked.signatures);
      trailers = decoder.trailers;
      stream = stream.pipeThrough(this.guarded(decoder.transformer));
    }
    const sha256 = options.sha256Here && this.sha256Hex ? new Digest('SHA-256') : undefined;
    const md5 = options.md5 ? new Digest('MD5') : undefined;
    const declared = this.input.checksum;
    const checksum = declared ? new Checksum(declared.algorithm) : undefined;
    let seen = 0;
    // The latest piece is held back until every check passed: a store reads exactly `length`
    // bytes and is done, so the last byte may only go once nothing can refuse the body any more.
    let held: Uint8Array | undefined;
    const verifier: Transformer<Uint8Array, Uint8Array> = {
      transform: async (bytes, controller) => {
        seen += bytes.byteLength;
        if (seen > this.length) throw incompleteBody();
        await Promise.all([sha256?.update(bytes), md5?.update(bytes), checksum?.update(bytes)]);
        if (held) controller.enqueue(held);
        held = bytes;
      },
      flush: async (controller) => {
        if (seen !== this.length) throw incompleteBody();
        if (sha256 && (await sha256.hex()) !== this.sha256Hex) throw xAmzContentSha256Mismatch();
        if (md5 && (await md5.hex()) !== toHex(new Uint8Array(options.md5!))) throw badDigest();
        if (declared && checksum) {
          const expected = declared.headerValue ?? trailers[`x-amz-checksum-${declared.algorithm}`];
          if (expected === undefined) throw new S3Error(400, 'InvalidRequest', `The x-amz-checksum-${declared.algorithm} trailer was declared but not sent.`);
          const value = await checksum.base64();
          if (value !== expected) throw checksumMismatch(declared.algorithm);
          this.checksum = { algorithm: declared.algorithm, value };
        }
        if (held) controller.enqueue(held);
      },
    };
    return stream.pipeThrough(this.guarded(verifier)).pipeThrough(new FixedLengthStream(this.length));
  }

  /** A TransformStream of `transformer` whose S3Error, when it throws one, is kept as `failure`. */
  private guarded(transformer: Transformer<Uint8Array, Uint8Array>): TransformStream<Uint8Array, Uint8Array> {
    const keep = (error: unknown) => {
      if (error instanceof S3Error && !this.failure) this.failure = error;
      throw error;
    };
    return new TransformStream<Uint8Array, Uint8Array>({
      transform: (bytes, controller) => Promise.resolve(transformer.transform!(bytes, controller)).catch(keep),
      flush: (controller) => Promise.resolve(transformer.flush?.(controller)).catch(keep),
    });
  }
}
