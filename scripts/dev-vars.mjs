// The local secrets in .dev.vars: the admin account's keys and the encryption key of data at rest,
// created once with random values and kept afterwards (a missing one is added, never replaced).
import { randomBytes, randomInt } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** A new root key for FAASBOX_ENCRYPTION_KEY: 32 random bytes, base64. */
export const newEncryptionKey = () => randomBytes(32).toString('base64');

/**
 * Reads .dev.vars at `path`, creating it with fresh admin keys and an encryption key when missing;
 * a file from before encryption at rest gets its encryption key appended. Changing or losing that
 * key makes the local state's encrypted data unreadable (docs/SECURITY.md).
 */
export function ensureDevVars(path) {
  if (!existsSync(path)) {
    const accessKeyId = 'AKIA' + pick(ALNUM_UPPER, 16);
    const secret = pick(SECRET_CHARS, 40);
    writeFileSync(path, `# faasbox local admin account (generated; never commit)\nFAASBOX_ACCESS_KEY_ID=${accessKeyId}\nFAASBOX_SECRET_ACCESS_KEY=${secret}\n`, { mode: 0o600 });
  }
  const text = readFileSync(path, 'utf8');
  if (parseDevVars(text).FAASBOX_ENCRYPTION_KEY === undefined) {
    const separator = text === '' || text.endsWith('\n') ? '' : '\n';
    appendFileSync(path, `${separator}# root key of encryption at rest (generated; losing it makes encrypted local data unreadable)\nFAASBOX_ENCRYPTION_KEY=${newEncryptionKey()}\n`);
  }
  return parseDevVars(readFileSync(path, 'utf8'));
}

export function parseDevVars(text) {
  const vars = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}
