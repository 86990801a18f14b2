// A function's own egress rules (docs/SECURITY.md, "A function's own rules"): GET, PUT and DELETE
// /api/functions/{FunctionName}/egress. faasbox's analogue of Lambda's VpcConfig, on faasbox's own
// API because Lambda's operations have no such member (their request structures refuse unknown ones).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { invalidParameter, validationError } from '../../errors';
import type { FunctionEgress, FunctionRecord } from '../../records/function';
import { functionEgressOf, normalEgressEntries, putFunctionEgress } from '../../services/function-egress';
import { getLatestFunction } from '../../services/functions';
import { parseRequest, requestStructure } from '../lambda/function-config';
import { unqualifiedFunctionName } from './query-params';

const EgressList = z.array(z.string({ error: 'Member must be a string' }), { error: 'Member must be a list of strings' });

const PutFunctionEgressRequest = requestStructure({
  Mode: z.enum(['allow-list', 'deny-list'], { error: (issue) => (issue.input === undefined ? 'Member must not be null' : 'Member must satisfy enum value set: [allow-list, deny-list]') }),
  Allow: EgressList.optional(),
  Deny: EgressList.optional(),
  RevisionId: z.string({ error: 'Member must be a string' }).optional(),
});

/** The Qualifier pattern of a version or alias, as Lambda's GetFunctionConfiguration takes it. */
const QUALIFIER_PATTERN = /^[a-zA-Z0-9$_-]{1,128}$/;

export const functionEgressRoutes = new Hono<AppContext>();

functionEgressRoutes.get('/api/functions/:name/egress', async (c) => {
  const qualifier = c.req.query('Qualifier') || undefined;
  if (qualifier !== undefined && !QUALIFIER_PATTERN.test(qualifier)) {
    throw validationError(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN.source.slice(1, -1)}`);
  }
  return c.json(renderEgress(await functionEgressOf(c.env, c.get('caller'), functionNameParam(c), qualifier)));
});

functionEgressRoutes.put('/api/functions/:name/egress', async (c) => {
  const name = functionNameParam(c);
  const request = parseRequest(PutFunctionEgressRequest, jsonBody(c));
  const allow = normalEgressEntries('Allow', request.Allow ?? []);
  const deny = normalEgressEntries('Deny', request.Deny ?? []);
  if (request.Mode === 'deny-list' && allow.length > 0) {
    throw invalidParameter('Allow is read only with Mode allow-list: with deny-list the function has no allow list (everything the platform allows and Deny does not list is reachable).');
  }
  const egress: FunctionEgress = { mode: request.Mode, allow, deny };
  return c.json(renderEgress(await putFunctionEgress(c.env, c.get('caller'), name, egress, request.RevisionId)));
});

functionEgressRoutes.delete('/api/functions/:name/egress', async (c) => {
  const caller = c.get('caller');
  const name = functionNameParam(c);
  // Idempotent: a function without rules of its own is left as it is (no new RevisionId).
  const record = await getLatestFunction(c.env, caller, name);
  if (record.egress) await putFunctionEgress(c.env, caller, name, undefined);
  return c.body(null, 204);
});

function functionNameParam(c: Context<AppContext>): string {
  return unqualifiedFunctionName(c, c.req.param('name')!);
}

/** A record's rules; one without rules of its own has none: deny-list, both lists empty. */
function renderEgress(record: FunctionRecord) {
  const egress = record.egress ?? { mode: 'deny-list', allow: [], deny: [] };
  return {
    FunctionName: record.name,
    Version: record.version ?? '$LATEST',
    Mode: egress.mode,
    Allow: egress.allow,
    Deny: egress.deny,
    RevisionId: record.revisionId,
  };
}
