// Which bucket and key an S3 request addresses (docs/S3.md, "Requests"): virtual-host style,
// `<bucket>.<FAASBOX_S3_DOMAIN>/<key>` (a bucket name may hold dots), or path style,
// `/<bucket>/<key>` at any other host (the origin's IP, the domain itself). Function URL hosts
// (`<id>.lambda-url.<region>.<FAASBOX_URL_DOMAIN>`) are served before S3 is asked (src/app.ts).

/** A request's bucket and key, undecoded as they are in the URL (empty when it names none). */
export interface S3Address {
  /** The bucket as named: from the host (virtual host) or the path's first segment. */
  bucket: string;
  /** The key, still percent-encoded as sent. */
  rawKey: string;
  virtualHost: boolean;
}

/** The bucket and key `url` addresses, `s3Domain` being the configured S3 domain. */
export function s3Address(url: URL, s3Domain: string): S3Address {
  const hostname = url.hostname.toLowerCase();
  const suffix = `.${s3Domain.toLowerCase()}`;
  if (hostname.endsWith(suffix) && hostname.length > suffix.length) {
    return { bucket: hostname.slice(0, -suffix.length), rawKey: url.pathname.slice(1), virtualHost: true };
  }
  const [, bucket = '', ...key] = url.pathname.split('/');
  return { bucket: decodeSegment(bucket), rawKey: key.join('/'), virtualHost: false };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
