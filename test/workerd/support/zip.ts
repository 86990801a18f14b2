// Builds function bundles (zip, base64) from inline sources for tests.
import { zipSync, strToU8 } from 'fflate';

export function zipBase64(files: Record<string, string>): string {
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
  let binary = '';
  for (let i = 0; i < zip.length; i += 0x8000) binary += String.fromCharCode(...zip.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
