// S3's aws-chunked payloads (x-amz-content-sha256 STREAMING-*): `<hex size>[;chunk-signature=<sig>]\r\n
// <data>\r\n` ... `0[;chunk-signature=<sig>]\r\n`, then trailer lines (`x-amz-checksum-crc32:...`,
// `x-amz-trailer-signature:...`) and an empty line. Decoded here as a stream into the object's
// bytes, each chunk's data passed on as it arrives (never a whole chunk held), each signature
// checked with the callbacks the caller gives (src/auth/s3-signature.ts) before the stream ends:
// a forged chunk errors the stream, so a store reading it keeps nothing.
import { S3Error } from './errors';
import { Digest } from './digests';

/** How the chunks are signed: each chunk's and the trailer's expected signature, given the previous one. */
export interface ChunkSignatures {
  seedSignature: string;
  /** The signature chunk data whose SHA-256 is `dataSha256Hex` must carry after `previousSignature`. */
  chunk(previousSignature: string, dataSha256Hex: string): Promise<string>;
  trailer(previousSignature: string, trailerLines: string): Promise<string>;
}

export const incompleteBody = () => new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
const chunkSignatureMismatch = () =>
  new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
/** The longest chunk header or trailer line taken (a size, a 64-hex signature, a checksum: well below). */
const MAX_LINE_BYTES = 4096;

/**
 * A transformer from an aws-chunked body to its data. With `signatures`, every chunk (and a
 * trailer, when one is sent) must carry the signature the chain gives; without, chunks carry none.
 * `trailers` (lowercase names) is filled before the readable side ends. Errors the stream with
 * S3Error (IncompleteBody, SignatureDoesNotMatch).
 */
export function awsChunkedDecoder(signatures?: ChunkSignatures): { transformer: Transformer<Uint8Array, Uint8Array>; trailers: Record<string, string> } {
  const trailers: Record<string, string> = {};
  let previous = signatures?.seedSignature ?? '';
  let pending: Uint8Array = new Uint8Array(0); // bytes of a line not yet ended
  let state: 'header' | 'data' | 'data-end' | 'trailer' | 'done' = 'header';
  let remaining = 0; // data bytes of the current chunk still to come
  let chunkSignature: string | undefined;
  let chunkDigest: Digest | undefined;
  let signedTrailerLines = '';
  let trailerSignature: string | undefined;

  /** The next CRLF-ended line of `bytes` from `at` (with what `pending` held), or undefined when it has not ended yet. */
  const takeLine = (bytes: Uint8Array, at: number): { line: string; next: number } | undefined => {
    for (let i = at; i < bytes.length; i++) {
      if (bytes[i] !== 10) continue;
      const joined = concat(pending, bytes.subarray(at, i + 1));
      pending = new Uint8Array(0);
      if (joined.length < 2 || joined[joined.length - 2] !== 13) throw incompleteBody();
      return { line: new TextDecoder().decode(joined.subarray(0, joined.length - 2)), next: i + 1 };
    }
    pending = concat(pending, bytes.subarray(at));
    if (pending.length > MAX_LINE_BYTES) throw incompleteBody();
    return undefined;
  };

  const endChunk = async () => {
    if (!signatures) return;
    const hash = await (chunkDigest ?? new Digest('SHA-256')).hex();
    chunkDigest = undefined;
    if (!chunkSignature || chunkSignature !== (await signatures.chunk(previous, hash))) throw chunkSignatureMismatch();
    previous = chunkSignature;
  };

  const transformer: Transformer<Uint8Array, Uint8Array> = {
    async transform(bytes, controller) {
      let at = 0;
      while (at < bytes.length) {
        if (state === 'data') {
          const piece = bytes.subarray(at, at + Math.min(remaining, bytes.length - at));
          at += piece.length;
          remaining -= piece.length;
          if (signatures) await chunkDigest!.update(piece);
          controller.enqueue(piece.slice());
          if (remaining === 0) {
            await endChunk();
            state = 'data-end';
          }
          continue;
        }
        if (state === 'done') throw incompleteBody(); // bytes after the final empty line
        const taken = takeLine(bytes, at);
        if (!taken) return;
        at = taken.next;
        const { line } = taken;
        if (state === 'data-end') {
          if (line !== '') throw incompleteBody();
          state = 'header';
        } else if (state === 'header') {
          const [sizeText, ...extensions] = line.split(';');
          if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText.trim())) throw incompleteBody();
          const size = parseInt(sizeText.trim(), 16);
          chunkSignature = extensions.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
          if (signatures) chunkDigest = new Digest('SHA-256');
          if (size === 0) {
            await endChunk();
            state = 'trailer';
          } else {
            remaining = size;
            state = 'data';
          }
        } else {
          // state 'trailer': trailer lines until an empty one.
          if (line === '') {
            state = 'done';
            continue;
          }
          const colon = line.indexOf(':');
          if (colon <= 0) throw incompleteBody();
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          if (name === 'x-amz-trailer-signature') trailerSignature = value;
          else {
            trailers[name] = value;
            signedTrailerLines += `${name}:${value}\n`;
          }
        }
      }
    },
    async flush() {
      // A body may end right after the last chunk's line, or with trailer lines and an empty line.
      if (pending.length > 0 || (state !== 'trailer' && state !== 'done')) throw incompleteBody();
      if (signatures && signedTrailerLines !== '') {
        if (!trailerSignature || trailerSignature !== (await signatures.trailer(previous, signedTrailerLines))) throw chunkSignatureMismatch();
      }
    },
  };
  return { transformer, trailers };
}

/** The data of a whole aws-chunked `body` (a request that is not streamed), its signatures checked. */
export async function decodeAwsChunked(body: Uint8Array, signatures?: ChunkSignatures): Promise<Uint8Array> {
  const { transformer } = awsChunkedDecoder(signatures);
  return new Uint8Array(await new Response(new Response(body).body!.pipeThrough(new TransformStream(transformer))).arrayBuffer());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
