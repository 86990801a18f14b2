// S3's conditional requests (docs/S3.md, "Operations"): If-Match, If-None-Match, If-Modified-Since
// and If-Unmodified-Since on GetObject and HeadObject, evaluated as S3 does (If-Match before
// If-Unmodified-Since, If-None-Match before If-Modified-Since; dates to the second, an unparsable
// one ignored), and PutObject's If-None-Match: * and If-Match, which R2's put checks atomically.
import { notImplemented, S3Error } from './errors';

export const preconditionFailed = (condition: string) =>
  new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

/** An entity-tag list header matches `etag` (quoted): `*`, or one of its comma-separated tags (a weak W/ prefix ignored). */
function matches(header: string, etag: string): boolean {
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}

/** An HTTP date to the second, or undefined when it does not parse (S3 then ignores the header). */
function seconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * What a GetObject's or HeadObject's conditions say about `object`: undefined (serve it), 304
 * (not modified) or throws PreconditionFailed (412) naming the condition that failed.
 */
export function readConditionOutcome(headers: Headers, object: { httpEtag: string; uploaded: Date }): 304 | undefined {
  const modified = Math.floor(object.uploaded.getTime() / 1000);
  const ifMatch = headers.get('if-match');
  if (ifMatch !== null && !matches(ifMatch, object.httpEtag)) throw preconditionFailed('If-Match');
  const unmodifiedSince = seconds(headers.get('if-unmodified-since'));
  if (ifMatch === null && unmodifiedSince !== undefined && modified > unmodifiedSince) throw preconditionFailed('If-Unmodified-Since');
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) return matches(ifNoneMatch, object.httpEtag) ? 304 : undefined;
  const modifiedSince = seconds(headers.get('if-modified-since'));
  if (modifiedSince !== undefined && modified <= modifiedSince) return 304;
  return undefined;
}

/** Whether a read carries any condition (then the object's metadata is looked at first). */
export const hasReadConditions = (headers: Headers) => ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'].some((h) => headers.has(h));

/**
 * PutObject's conditions as R2's put takes them (`onlyIf`), with the condition named for a
 * refusal: If-None-Match `*` (only when no object has the key) and If-Match (only over that
 * ETag). If-None-Match with an ETag is not implemented by S3 either.
 */
export function writeConditions(headers: Headers): { onlyIf: Headers; condition: string } | undefined {
  const ifNoneMatch = headers.get('if-none-match')?.trim();
  const ifMatch = headers.get('if-match')?.trim();
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') throw notImplemented('If-None-Match with an ETag on a write (only * is)');
  if (ifNoneMatch !== undefined && ifMatch !== undefined) throw notImplemented('If-Match together with If-None-Match on a write');
  if (ifNoneMatch === '*') return { onlyIf: new Headers({ 'if-none-match': '*' }), condition: 'If-None-Match' };
  if (ifMatch !== undefined) return { onlyIf: new Headers({ 'if-match': ifMatch }), condition: 'If-Match' };
  return undefined;
}
