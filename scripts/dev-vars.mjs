// The local admin account's keys in .dev.vars: created once with random values, kept afterwards.
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** Reads .dev.vars at `path`, creating it with fresh admin keys when missing. */
export function ensureDevVars(path) {
  if (!existsSync(path)) {
    const accessKeyId = 'AKIA' + pick(ALNUM_UPPER, 16);
    const secret = pick(SECRET_CHARS, 40);
    writeFileSync(path, `# faasbox local admin account (generated; never commit)\nFAASBOX_ACCESS_KEY_ID=${accessKeyId}\nFAASBOX_SECRET_ACCESS_KEY=${secret}\n`, { mode: 0o600 });
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

