// S3's aws-chunked payloads (x-amz-content-sha256 STREAMING-*): `<hex size>[;chunk-signature=<sig>]\r\n
// <data>\r\n` ... `0[;chunk-signature=<sig>]\r\n`, then trailer lines (`x-amz-checksum-crc32:...`,
// `x-amz-trailer-signature:...`) and an empty line. Decoded here into the object's bytes, each
// signature checked with the callbacks the caller gives (src/auth/s3-signature.ts).
import { S3Error } from './errors';

/** How the chunks are signed: each chunk's and the trailer's expected signature, given the previous one. */
export interface ChunkSignatures {
  seedSignature: string;
  chunk(previousSignature: string, data: Uint8Array): Promise<string>;
  trailer(previousSignature: string, trailerLines: string): Promise<string>;
}

const incompleteBody = () => new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
const chunkSignatureMismatch = () =>
  new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');

/**
 * The payload of an aws-chunked `body`: its data chunks joined, and the trailers by lowercase name.
 * With `signatures`, every chunk (and a trailer, when one is sent) must carry the signature the
 * chain gives; without, chunks carry none. Throws S3Error (IncompleteBody, SignatureDoesNotMatch).
 */
export async function decodeAwsChunked(body: Uint8Array, signatures?: ChunkSignatures): Promise<{ payload: Uint8Array; trailers: Record<string, string> }> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let position = 0;
  let previous = signatures?.seedSignature ?? '';
  const readLine = (): string => {
    for (let i = position; i + 1 < body.length; i++) {
      if (body[i] === 13 && body[i + 1] === 10) {
        const line = new TextDecoder().decode(body.subarray(position, i));
        position = i + 2;
        return line;
      }
    }
    throw incompleteBody();
  };
  for (;;) {
    const header = readLine();
    const [sizeText, ...extensions] = header.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText.trim())) throw incompleteBody();
    const size = parseInt(sizeText.trim(), 16);
    if (position + size > body.length) throw incompleteBody();
    const data = body.subarray(position, position + size);
    position += size;
    if (signatures) {
      const given = extensions.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      if (!given || given !== (await signatures.chunk(previous, data))) throw chunkSignatureMismatch();
      previous = given;
    }
    if (size === 0) break;
    parts.push(data);
    total += size;
    if (readLine() !== '') throw incompleteBody();
  }
  const trailers: Record<string, string> = {};
  let signedTrailerLines = '';
  let trailerSignature: string | undefined;
  // A body may end right after the last chunk's line, or with trailer lines and an empty line.
  while (position < body.length) {
    const line = readLine();
    if (line === '') break;
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
  if (signatures && signedTrailerLines !== '') {
    if (!trailerSignature || trailerSignature !== (await signatures.trailer(previous, signedTrailerLines))) throw chunkSignatureMismatch();
  }
  const payload = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    payload.set(part, offset);
    offset += part.byteLength;
  }
  return { payload, trailers };
}
