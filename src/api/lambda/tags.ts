// Lambda's tags: TagResource, UntagResource and ListTags on /2017-03-31/tags/{ARN} for the taggable
// resources faasbox has (functions, unqualified; event source mappings), and the tag rules that
// CreateFunction and CreateEventSourceMapping apply to their Tags too.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { eventSourceMappings, functionRegistry } from '../../bindings';
import { functionNotFound, invalidParameter, LambdaError } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import { AccessDeniedError } from '../../iam/access-denied';
import { authorize } from '../../services/iam/authorize';
import type { FunctionRecord } from '../../records/function';
import { LAMBDA_TAGS_PER_RESOURCE_MAX, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS } from '../../limits';
import { tagProblem, type Tags } from '../../records/tags';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { parseRequest, TagMap } from './function-config';

export const tagRoutes = new Hono<AppContext>();

/** The path of the three operations; `:arn` is the resource's ARN (percent-encoded by the SDKs and the CLI). */
export const TAGS_PATH = '/2017-03-31/tags/:arn';

/** TaggableResource's pattern as Lambda answers it today (its ValidationException names this one). */
const TAGGABLE_RESOURCE_PATTERN =
  'arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)';
const TAGGABLE_RESOURCE = new RegExp(`^(?:${TAGGABLE_RESOURCE_PATTERN})$`);
const TAGGABLE_RESOURCE_MAX_CHARS = 256;

/** A taggable resource an ARN names, read before the request is validated (IAM's guard needs it first). */
export interface TaggedResource {
  arn: string;
  region: string;
  accountId: string;
  /** `function`, `event-source-mapping`, or a kind faasbox has none of (`layer`, `code-signing-config`, `capacity-provider`). */
  kind: string;
  /** The function's name or the mapping's UUID. */
  id: string;
  /** A function ARN's version or alias, which Lambda refuses to tag. */
  qualifier?: string;
}

/** The resource the ARN names when it satisfies TaggableResource's pattern and length; undefined otherwise. */
export function taggedResource(arn: string): TaggedResource | undefined {
  if (arn.length > TAGGABLE_RESOURCE_MAX_CHARS || !TAGGABLE_RESOURCE.test(arn)) return undefined;
  const [, , , region, accountId, kind, id, qualifier] = arn.split(':');
  return { arn, region, accountId, kind, id, ...(qualifier !== undefined && { qualifier }) };
}

/**
 * The resource of the request's ARN, or Lambda's refusal in its order: the ARN's pattern and
 * length (ValidationException, every violation counted), then a qualified function ARN
 * (InvalidParameterValueException, whether or not the version exists).
 */
function resourceOf(c: Context<AppContext>): TaggedResource {
  const arn = c.req.param('arn') ?? '';
  const resource = taggedResource(arn);
  if (!resource) {
    const violations = [
      ...(arn.length > TAGGABLE_RESOURCE_MAX_CHARS ? [`Member must have length less than or equal to ${TAGGABLE_RESOURCE_MAX_CHARS}`] : []),
      ...(TAGGABLE_RESOURCE.test(arn) ? [] : [`Member must satisfy regular expression pattern: ${TAGGABLE_RESOURCE_PATTERN}`]),
    ].map((constraint) => `Value '${arn}' at 'resource' failed to satisfy constraint: ${constraint}`);
    throw new LambdaError(400, 'ValidationException', `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`);
  }
  if (resource.kind === 'function' && resource.qualifier !== undefined) {
    throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  }
  return resource;
}

/** Lambda's ResourceNotFoundException for each kind of taggable resource. */
function resourceNotFound(resource: TaggedResource): LambdaError {
  if (resource.kind === 'function') return functionNotFound(resource.arn);
  const message = {
    'event-source-mapping': `Event source mapping not found: ${resource.arn}`,
    'capacity-provider': `Capacity provider not found: ${resource.arn}`,
    'code-signing-config': `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${resource.arn}.`,
  }[resource.kind] ?? `Layer not found: ${resource.arn}`;
  return new LambdaError(404, 'ResourceNotFoundException', message, { messageField: 'Message' });
}

/**
 * Lambda's rules for each tag of a request (CreateFunction, CreateEventSourceMapping, TagResource):
 * at most 50 of them, keys of 1 to 128 characters, values of at most 256, letters, digits, spaces
 * and `_ . : / = + - @` only, and no key starting with `aws:` (reserved, in any case). The 50 are
 * counted again with the resource's own tags where they are stored.
 */
export function checkTags(tags: Tags): void {
  if (Object.keys(tags).length > LAMBDA_TAGS_PER_RESOURCE_MAX) throw tooManyTags();
  for (const [key, value] of Object.entries(tags)) {
    const problem = tagProblem(key, value, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS);
    if (problem === 'key') throw invalidParameter(`Invalid tag key '${key}': a tag key is 1 to ${TAG_KEY_MAX_CHARS} characters of letters, digits, spaces and _ . : / = + - @.`);
    if (problem === 'reserved-key') throw invalidParameter(`Invalid tag key '${key}': the aws: prefix is reserved for AWS use.`);
    if (problem === 'value') throw invalidParameter(`Invalid tag value for key '${key}': a tag value is 0 to ${TAG_VALUE_MAX_CHARS} characters of letters, digits, spaces and _ . : / = + - @.`);
  }
}

export const tooManyTags = () => invalidParameter('Number of tags exceeds resource tag limit.');

/** A request member AWS requires, missing: `Value null at 'tags'`. */
const memberMissing = (member: string) =>
  new LambdaError(400, 'ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

/**
 * Applies `set` and `remove` to the resource's tags in the object that stores it (the 50 counted
 * there, atomically with the write); not found when the resource is not the caller's or does not exist.
 */
async function changeTags(env: Env, caller: Caller, resource: TaggedResource, set: Tags, remove: readonly string[]): Promise<void> {
  if (resource.accountId !== caller.accountId || resource.region !== caller.region) throw resourceNotFound(resource);
  const result = resource.kind === 'function'
    ? await functionRegistry(env, caller.accountId).updateTags(resource.id, set, remove, LAMBDA_TAGS_PER_RESOURCE_MAX)
    : resource.kind === 'event-source-mapping'
      ? await eventSourceMappings(env, caller.accountId).updateTags(resource.id, set, remove, LAMBDA_TAGS_PER_RESOURCE_MAX)
      : undefined;
  if (!result || (!result.ok && result.error === 'not-found')) throw resourceNotFound(resource);
  if (!result.ok) throw tooManyTags();
}

/** The resource's tags; not found as changeTags. */
async function readTags(env: Env, caller: Caller, resource: TaggedResource): Promise<Tags> {
  if (resource.accountId !== caller.accountId || resource.region !== caller.region) throw resourceNotFound(resource);
  const found = resource.kind === 'function'
    ? await functionRegistry(env, caller.accountId).get(resource.id)
    : resource.kind === 'event-source-mapping'
      ? await eventSourceMappings(env, caller.accountId).get(resource.id)
      : undefined;
  if (!found) throw resourceNotFound(resource);
  return found.tags ?? {};
}

/**
 * GetFunction's Tags: the function's (a version's or alias's GetFunction shows them too), only
 * when it has some, and only to a caller IAM allows lambda:ListTags on it; anyone else gets
 * TagsError in their place, as Lambda answers.
 */
export async function renderFunctionTags(c: Context<AppContext>, record: FunctionRecord, qualifier: string | undefined): Promise<{ Tags?: Tags; TagsError?: { ErrorCode: string; Message: string } }> {
  const caller = c.get('caller');
  const tags = qualifier === undefined ? record.tags : (await functionRegistry(c.env, caller.accountId).get(record.name))?.tags;
  if (!tags) return {};
  try {
    await authorize(c.env, caller, { action: 'lambda:ListTags', resource: functionArn(caller, record.name) });
  } catch (error) {
    if (error instanceof AccessDeniedError) return { TagsError: { ErrorCode: 'AccessDeniedException', Message: error.message } };
    throw error;
  }
  return { Tags: tags };
}

const TagResourceRequest = z.object({ Tags: TagMap });

tagRoutes.post(TAGS_PATH, async (c) => {
  const resource = resourceOf(c);
  const body = jsonBody(c);
  if ((body as { Tags?: unknown } | null)?.Tags == null) throw memberMissing('tags');
  const { Tags: tags } = parseRequest(TagResourceRequest, body);
  // Lambda's answer to an empty map, word for word.
  if (Object.keys(tags).length === 0) throw invalidParameter('An error occurred and the request cannot be processed.');
  checkTags(tags);
  await changeTags(c.env, c.get('caller'), resource, tags, []);
  return c.body(null, 204);
});

tagRoutes.delete(TAGS_PATH, async (c) => {
  const resource = resourceOf(c);
  // An empty list is no tagKeys parameter at all, on the wire.
  const keys = c.req.queries('tagKeys') ?? [];
  if (keys.length === 0) throw memberMissing('tagKeys');
  await changeTags(c.env, c.get('caller'), resource, {}, keys);
  return c.body(null, 204);
});

tagRoutes.get(TAGS_PATH, async (c) => {
  const resource = resourceOf(c);
  return c.json({ Tags: await readTags(c.env, c.get('caller'), resource) });
});
