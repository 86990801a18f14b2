// Published versions: PublishVersion and ListVersionsByFunction (DeleteFunction with a Qualifier
// is in functions.ts), and MaxItems of the list operations.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { validationError } from '../../errors';
import { DESCRIPTION_MAX_CHARS, LIST_FUNCTIONS_MAX_ITEMS } from '../../limits';
import { functionRegistry } from '../../bindings';
import { publishVersion, versionsError } from '../../services/functions';
import { unqualifiedName } from './function-reference';
import { parseRequest, renderConfiguration } from './function-config';

export const versionRoutes = new Hono<AppContext>();

const PublishVersionRequest = z.object({
  CodeSha256: z.string().optional(),
  Description: z.string().max(DESCRIPTION_MAX_CHARS, { error: `Member must have length less than or equal to ${DESCRIPTION_MAX_CHARS}` }).optional(),
  RevisionId: z.string().optional(),
});

versionRoutes.post('/2015-03-31/functions/:name/versions', async (c) => {
  const request = parseRequest(PublishVersionRequest, jsonBody(c));
  const record = await publishVersion(c.env, c.get('caller'), unqualifiedName(c), request);
  return c.json(await renderConfiguration(c.env, record, c.get('caller'), record.version), 201);
});

versionRoutes.get('/2015-03-31/functions/:name/versions', async (c) => {
  const caller = c.get('caller');
  const name = unqualifiedName(c);
  const maxItems = parseMaxItems(c.req.query('MaxItems'));
  const result = await functionRegistry(c.env, caller.accountId).listVersions(name, c.req.query('Marker') || undefined, Math.min(maxItems, LIST_FUNCTIONS_MAX_ITEMS));
  if (!result.ok) throw versionsError(result, caller, name);
  return c.json({
    Versions: await Promise.all(result.value.versions.map((v) => renderConfiguration(c.env, v, caller, v.version ?? '$LATEST', 'listed'))),
    ...(result.value.nextMarker ? { NextMarker: result.value.nextMarker } : {}),
  });
});

/**
 * MaxItems of a list operation: a decimal integer from 1 to `max` (10,000 for most, as Lambda's
 * model says; pages are capped lower by the caller). `0`, `1.0`, `0x10`, ` 5` are refused.
 */
export function parseMaxItems(raw: string | undefined, max = 10_000, fallback = LIST_FUNCTIONS_MAX_ITEMS): number {
  if (raw === undefined) return fallback;
  const maxItems = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(maxItems >= 1 && maxItems <= max)) {
    throw validationError(raw, 'maxItems', `Member must have value between 1 and ${max}`);
  }
  return maxItems;
}
