// Resource tags (a Lambda function's or event source mapping's, an SQS queue's) as the objects
// store them: a map of key to value, absent when there are none.

/** A resource's tags; keys and values are case-sensitive. */
export type Tags = Record<string, string>;

/** `current` with `set` applied over it and `remove` taken out; undefined when nothing is left. */
export function changedTags(current: Tags | undefined, set: Tags = {}, remove: readonly string[] = []): Tags | undefined {
  const next: Tags = { ...current, ...set };
  for (const key of remove) delete next[key];
  return Object.keys(next).length > 0 ? next : undefined;
}

/**
 * `resource` with its tags changed as changedTags does (no `tags` member when none are left), or
 * undefined when more than `maxTags` would remain.
 */
export function withChangedTags<T extends { tags?: Tags }>(resource: T, set: Tags, remove: readonly string[], maxTags: number): T | undefined {
  const tags = changedTags(resource.tags, set, remove);
  if (Object.keys(tags ?? {}).length > maxTags) return undefined;
  const { tags: _previous, ...rest } = resource;
  return { ...rest, ...(tags && { tags }) } as T;
}

/** The characters AWS allows in tag keys and values: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * What is wrong with one tag by AWS's common rules, if anything: a key of 1 to `maxKeyChars`
 * characters (code points), a value of at most `maxValueChars`, both of TAG_CHARACTERS, and no
 * key starting with `aws:` (reserved, in any case).
 */
export function tagProblem(key: string, value: string, maxKeyChars: number, maxValueChars: number): 'key' | 'reserved-key' | 'value' | undefined {
  const keyChars = [...key].length;
  if (keyChars === 0 || keyChars > maxKeyChars || !TAG_CHARACTERS.test(key)) return 'key';
  if (key.toLowerCase().startsWith('aws:')) return 'reserved-key';
  if ([...value].length > maxValueChars || !TAG_CHARACTERS.test(value)) return 'value';
  return undefined;
}
