// S3's bucket naming rules (general purpose buckets), checked as S3 checks them before anything is
// stored: a name that breaks one is InvalidBucketName.

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * Whether `name` is a valid bucket name: 3 to 63 characters of lowercase letters, digits, dots and
 * hyphens, beginning and ending with a letter or digit, no two adjacent dots, not an IPv4 address,
 * none of S3's reserved prefixes and suffixes.
 */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..')) return false;
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return false;
  if (RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))) return false;
  return !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix));
}
