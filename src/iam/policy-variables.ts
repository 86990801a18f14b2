// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`) in Resource and
// in string and ARN condition values: replaced by the request's values before matching. A leaf.
import { literalTokens, wildcardTokens, type PatternToken } from './wildcard';

/** A request context key's value (keys are looked up case-insensitively), or undefined when absent. */
export type ContextLookup = (key: string) => string[] | undefined;

/** The characters IAM lets a policy write literally through a variable. */
const SPECIAL_CHARACTERS: Record<string, string> = { '*': '*', '?': '?', '$': '$' };

type Part = { text: string } | { value: string };

/**
 * Splits `text` into literal text and resolved variables; undefined when a variable has no value
 * in the request and no default (IAM then treats the statement as not matching). A key with more
 * than one value cannot stand in a single string either.
 */
function resolveParts(text: string, lookup: ContextLookup): Part[] | undefined {
  const parts: Part[] = [];
  let at = 0;
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    at = match.index + match[0].length;
    const inner = match[1]!.trim();
    const special = SPECIAL_CHARACTERS[inner];
    if (special !== undefined) {
      parts.push({ value: special });
      continue;
    }
    const withDefault = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(inner);
    const key = withDefault ? withDefault[1]! : inner;
    const values = lookup(key);
    if (values !== undefined && values.length === 1) parts.push({ value: values[0]! });
    else if (withDefault) parts.push({ value: withDefault[2]! });
    else return undefined;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/**
 * `text` as a wildcard pattern with its variables replaced (a replaced value matches only itself,
 * even if it holds `*`). Without `lookup` (a 2008-10-17 document) `${...}` is literal text.
 */
export function patternWithVariables(text: string, lookup: ContextLookup | undefined): PatternToken[] | undefined {
  if (lookup === undefined || !text.includes('${')) return wildcardTokens(text);
  const parts = resolveParts(text, lookup);
  return parts?.flatMap((part) => ('text' in part ? wildcardTokens(part.text) : literalTokens(part.value)));
}

/** `text` with its variables replaced, for the operators that compare whole strings. */
export function stringWithVariables(text: string, lookup: ContextLookup | undefined): string | undefined {
  if (lookup === undefined || !text.includes('${')) return text;
  const parts = resolveParts(text, lookup);
  return parts?.map((part) => ('text' in part ? part.text : part.value)).join('');
}
