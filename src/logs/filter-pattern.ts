// CloudWatch Logs filter patterns for unstructured text: terms that must all appear, "quoted
// phrases", and -terms that must not. Parsed at the API boundary; matched inside LogStore.
// JSON (`{ $.x = 1 }`) and space-delimited (`[a, b]`) patterns are rejected, not guessed at.

/** A parsed pattern as plain data (it crosses into the LogStore Durable Object). */
export interface FilterTerms {
  /** Every one must appear in the message, case-sensitively. */
  required: string[];
  /** None may appear. */
  excluded: string[];
}

/**
 * Parses a filter pattern; returns an error message for a syntax this does not support.
 * @example parseFilterPattern('ERROR "request failed" -retry') // { required: ['ERROR', 'request failed'], excluded: ['retry'] }
 */
export function parseFilterPattern(pattern: string): FilterTerms | { error: string } {
  const trimmed = pattern.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || /(^|\s)\?/.test(trimmed)) {
    return { error: 'Only term and "quoted phrase" filter patterns are supported' };
  }
  const terms: FilterTerms = { required: [], excluded: [] };
  // A quoted phrase runs to its closing quote; one that never closes is refused, as CloudWatch does.
  for (const match of trimmed.matchAll(/(-?)(?:"((?:[^"\\]|\\.)*)("?)|(\S+))/g)) {
    const [, minus, quoted, closed, bare] = match;
    if (quoted !== undefined && closed === '') return { error: `Invalid filter pattern: Invalid character(s) in term '${match[0].replace(/^-/, '')}'` };
    const term = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
    if (term === '') continue;
    (minus ? terms.excluded : terms.required).push(term);
  }
  return terms;
}

/** True when `message` contains every required term and no excluded one. */
export function matchesFilter(terms: FilterTerms, message: string): boolean {
  return terms.required.every((t) => message.includes(t)) && !terms.excluded.some((t) => message.includes(t));
}
