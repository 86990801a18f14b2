// Published versions: PublishVersion and ListVersionsByFunction (DeleteFunction with a Qualifier
// is in functions.ts), and the mapping of the registry's version and alias errors to Lambda's.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app';
import { jsonBody } from '../app';
import { functionNotFound, invalidParameter, LambdaError, preconditionFailed, resourceConflict, validationError } from '../errors';
import { functionArn, type Caller } from '../function-names';
import { DESCRIPTION_MAX_CHARS, LIST_FUNCTIONS_MAX_ITEMS } from '../limits';
import type { VersionsError } from '../records/versions';
import { functionReference, functionRegistry } from './functions';
import { parseRequest, renderConfiguration } from './function-config';

export const versionRoutes = new Hono<AppContext>();

const PublishVersionRequest = z.object({
  CodeSha256: z.string().optional(),
  Description: z.string().max(DESCRIPTION_MAX_CHARS, { error: `Member must have length less than or equal to ${DESCRIPTION_MAX_CHARS}` }).optional(),
  RevisionId: z.string().optional(),
});

/** Publishes $LATEST of `name` (PublishVersion, and CreateFunction/UpdateFunctionCode with Publish). */
export async function publishVersion(c: Context<AppContext>, name: string, request: z.infer<typeof PublishVersionRequest>) {
  const caller = c.get('caller');
  const result = await functionRegistry(c.env, caller.accountId).publishVersion(name, {
    codeSha256: request.CodeSha256, revisionId: request.RevisionId, description: request.Description,
  });
  if (!result.ok) throw versionsError(result, caller, name);
  return renderConfiguration(result.value, caller, result.value.version);
}

versionRoutes.post('/2015-03-31/functions/:name/versions', async (c) => {
  const request = parseRequest(PublishVersionRequest, jsonBody(c));
  return c.json(await publishVersion(c, unqualifiedName(c), request), 201);
});

versionRoutes.get('/2015-03-31/functions/:name/versions', async (c) => {
  const caller = c.get('caller');
  const name = unqualifiedName(c);
  const maxItems = parseMaxItems(c.req.query('MaxItems'));
  const result = await functionRegistry(c.env, caller.accountId).listVersions(name, c.req.query('Marker') || undefined, Math.min(maxItems, LIST_FUNCTIONS_MAX_ITEMS));
  if (!result.ok) throw versionsError(result, caller, name);
  return c.json({
    Versions: result.value.versions.map((v) => renderConfiguration(v, caller, v.version ?? '$LATEST')),
    ...(result.value.nextMarker ? { NextMarker: result.value.nextMarker } : {}),
  });
});

/** The function name of a path that takes no qualifier (versions, aliases). */
export function unqualifiedName(c: Context<AppContext>): string {
  const { name, qualifier } = functionReference(c);
  if (qualifier !== undefined) throw functionNotFound(functionArn(c.get('caller'), name, qualifier));
  return name;
}

/** MaxItems of a list operation: 1 to 10,000 (pages are capped lower by the caller). */
export function parseMaxItems(raw: string | undefined): number {
  if (raw === undefined) return LIST_FUNCTIONS_MAX_ITEMS;
  const maxItems = Number(raw);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000) {
    throw validationError(raw, 'maxItems', 'Member must have value between 1 and 10000');
  }
  return maxItems;
}

/** Lambda's exception for a version or alias operation the registry refused. */
export function versionsError(error: VersionsError, caller: Caller, name: string, aliasName?: string): LambdaError {
  switch (error.error) {
    case 'not-found':
      return functionNotFound(functionArn(caller, name));
    case 'version-not-found':
      return functionNotFound(functionArn(caller, name, error.version));
    case 'alias-not-found':
      return new LambdaError(404, 'ResourceNotFoundException', `Cannot find alias arn: ${functionArn(caller, name, aliasName)}`, { messageField: 'Message' });
    case 'alias-exists':
      return resourceConflict(`Alias already exists: ${functionArn(caller, name, aliasName)}`);
    case 'precondition':
      return preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    case 'invalid':
      return invalidParameter(error.message);
    case 'code-sha-mismatch':
      return invalidParameter(`CodeSHA256 (${error.given}) is different from current CodeSHA256 in $LATEST (${error.current}). Please try again with the CodeSHA256 in $LATEST.`);
    case 'referenced':
      return resourceConflict(`Unable to delete version because the following aliases reference it: [${error.aliases.join(', ')}]`);
  }
}
