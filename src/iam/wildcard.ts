// IAM's wildcard matching: `*` (any run of characters) and `?` (any one character) in actions,
// resources, principals' ARNs and StringLike / ArnLike values, and ARNs compared segment by segment.
// A leaf: no I/O. Matching is linear in practice and never builds a RegExp from policy text.

/** Any run of characters, possibly empty (`*`). */
export const ANY_RUN: unique symbol = Symbol('*');
/** Exactly one character (`?`). */
export const ANY_CHAR: unique symbol = Symbol('?');

/** A compiled pattern: one literal character (a UTF-16 code unit) or a wildcard per element. */
export type PatternToken = string | typeof ANY_RUN | typeof ANY_CHAR;

/** `text` as a pattern where `*` and `?` are wildcards and every other character is itself. */
export function wildcardTokens(text: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  for (const char of splitUnits(text)) tokens.push(char === '*' ? ANY_RUN : char === '?' ? ANY_CHAR : char);
  return tokens;
}

/** `text` as a pattern that matches only itself (a policy variable's value, say). */
export function literalTokens(text: string): PatternToken[] {
  return splitUnits(text);
}

/**
 * Whether `tokens` match the whole of `text`. Greedy with one backtrack point per `*`, so the
 * worst case is O(pattern x text) and there is no catastrophic backtracking.
 */
export function matchesTokens(tokens: readonly PatternToken[], text: string, ignoreCase = false): boolean {
  const subject = ignoreCase ? text.toLowerCase() : text;
  const pattern = ignoreCase ? tokens.map((t) => (typeof t === 'string' ? t.toLowerCase() : t)) : tokens;
  let t = 0;
  let s = 0;
  let starAt = -1;
  let starSubject = 0;
  while (s < subject.length) {
    const token = pattern[t];
    if (token !== undefined && (token === ANY_CHAR || token === subject[s])) {
      t++;
      s++;
    } else if (token === ANY_RUN) {
      starAt = t++;
      starSubject = s;
    } else if (starAt >= 0) {
      t = starAt + 1;
      s = ++starSubject;
    } else {
      return false;
    }
  }
  while (pattern[t] === ANY_RUN) t++;
  return t === pattern.length;
}

/** `pattern` (with `*` and `?`) matches the whole of `text`. */
export const matchesWildcard = (pattern: string, text: string, ignoreCase = false) =>
  matchesTokens(wildcardTokens(pattern), text, ignoreCase);

/**
 * An action of a policy (`lambda:Get*`, `*`) matches a request's action (`lambda:GetFunction`):
 * case-insensitive, as IAM compares actions.
 */
export const matchesAction = (pattern: string, action: string) => matchesWildcard(pattern, action, true);

/**
 * Splits an ARN (or an ARN pattern) at its first five colons: partition, service, region,
 * account and the resource part, which keeps its own colons (`function:name:alias`). Colons
 * inside a policy variable (`${aws:username}`) do not split.
 */
export function splitArn(text: string): string[] {
  const segments: string[] = [];
  let start = 0;
  let inVariable = false;
  for (let i = 0; i < text.length && segments.length < 5; i++) {
    if (!inVariable && text[i] === '$' && text[i + 1] === '{') inVariable = true;
    else if (inVariable && text[i] === '}') inVariable = false;
    else if (!inVariable && text[i] === ':') {
      segments.push(text.slice(start, i));
      start = i + 1;
    }
  }
  segments.push(text.slice(start));
  return segments;
}

/**
 * Whether an ARN pattern of a policy matches `arn`, as IAM matches Resource and ArnLike values:
 * `*` alone matches everything; otherwise each of the six colon-separated segments is matched on
 * its own (case-sensitive), a `*` in the resource part spans its colons and slashes, and a pattern
 * of fewer segments whose last one ends in `*` lets that `*` run across the remaining colons
 * (`arn:aws:lambda:*` matches every Lambda ARN). `compile` turns one segment's text into tokens
 * (resolving policy variables), or returns undefined when it cannot (an unknown variable): such a
 * pattern matches nothing. A value that is not an ARN is compared as a whole.
 */
export function matchesArnPattern(
  pattern: string,
  arn: string,
  compile: (segment: string) => PatternToken[] | undefined = wildcardTokens,
): boolean {
  if (pattern === '*') return true;
  const want = splitArn(pattern);
  const have = splitArn(arn);
  if (have.length < 6 || want[0] !== 'arn') {
    const whole = compile(pattern);
    return whole !== undefined && matchesTokens(whole, arn);
  }
  if (want.length < 6 && !want[want.length - 1]!.endsWith('*')) return false;
  for (let i = 0; i < want.length; i++) {
    const tokens = compile(want[i]!);
    if (tokens === undefined) return false;
    // The last segment of a short pattern is matched against the rest of the ARN, colons and all.
    const subject = i === want.length - 1 ? have.slice(i).join(':') : have[i]!;
    if (!matchesTokens(tokens, subject)) return false;
  }
  return true;
}

function splitUnits(text: string): string[] {
  const units: string[] = [];
  for (let i = 0; i < text.length; i++) units.push(text[i]!);
  return units;
}
