// Aliases: CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. An alias names a version
// (or $LATEST) and may send a share of its traffic to one more version (RoutingConfig).
import { forgetUrlIds } from '../../services/function-urls';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { invalidParameter, resourceNotFound, validationError } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import { DESCRIPTION_MAX_CHARS, LIST_FUNCTIONS_MAX_ITEMS } from '../../limits';
import type { AliasRecord } from '../../records/versions';
import { functionRegistry } from '../../bindings';
import { parseRequest } from './function-config';
import { parseMaxItems } from './versions';
import { unqualifiedName } from './function-reference';
import { versionsError } from '../../services/functions';

export const aliasRoutes = new Hono<AppContext>();

const ALIAS_NAME_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const VERSION_PATTERN = '(\\$LATEST|[0-9]+)';
const ALIAS_NAME_MAX_CHARS = 128;

const FunctionVersion = z.string().regex(new RegExp(`^${VERSION_PATTERN}$`), { error: `Member must satisfy regular expression pattern: ${VERSION_PATTERN}` });
const Description = z.string().max(DESCRIPTION_MAX_CHARS, { error: `Member must have length less than or equal to ${DESCRIPTION_MAX_CHARS}` });
const RoutingConfig = z.object({ AdditionalVersionWeights: z.record(z.string(), z.number({ error: 'Map values must be numbers' })).optional() });

const CreateAliasRequest = z.object({
  Name: z.string({ error: 'Member must not be null' }),
  FunctionVersion: FunctionVersion,
  Description: Description.optional(),
  RoutingConfig: RoutingConfig.optional(),
});

const UpdateAliasRequest = z.object({
  FunctionVersion: FunctionVersion.optional(),
  Description: Description.optional(),
  RoutingConfig: RoutingConfig.optional(),
  RevisionId: z.string().optional(),
});

/** Lambda's AliasConfiguration. */
function renderAlias(alias: AliasRecord, caller: Caller, functionName: string) {
  return {
    AliasArn: functionArn(caller, functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(alias.additionalVersionWeights ? { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } } : {}),
    RevisionId: alias.revisionId,
  };
}

function checkAliasName(name: string): string {
  if (name.length > ALIAS_NAME_MAX_CHARS) throw validationError(name, 'name', `Member must have length less than or equal to ${ALIAS_NAME_MAX_CHARS}`);
  if (!/^[a-zA-Z0-9-_]+$/.test(name) || /^[0-9]+$/.test(name)) {
    throw validationError(name, 'name', `Member must satisfy regular expression pattern: ${ALIAS_NAME_PATTERN}`);
  }
  return name;
}

/** AdditionalVersionWeights as Lambda checks it: at most one version number, a weight from 0 to 1. */
function checkWeights(weights: Record<string, number> | undefined): Record<string, number> | undefined {
  if (weights === undefined) return undefined;
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  for (const [version, weight] of entries) {
    const shown = `{${version}=${weight}}`;
    if (!/^[0-9]+$/.test(version)) {
      throw validationError(shown, 'routingConfig.additionalVersionWeights', 'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]');
    }
    if (!(weight >= 0 && weight <= 1)) {
      throw validationError(shown, 'routingConfig.additionalVersionWeights', 'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]');
    }
  }
  return weights;
}

/** The caller, function name and alias name of an `/aliases/{Name}` path. */
function aliasPath(c: Context<AppContext>) {
  return { caller: c.get('caller'), name: unqualifiedName(c), aliasName: checkAliasName(c.req.param('alias')!) };
}

const PATH = '/2015-03-31/functions/:name/aliases';

aliasRoutes.post(PATH, async (c) => {
  const caller = c.get('caller');
  const name = unqualifiedName(c);
  const request = parseRequest(CreateAliasRequest, jsonBody(c));
  const aliasName = checkAliasName(request.Name);
  const weights = checkWeights(request.RoutingConfig?.AdditionalVersionWeights);
  const result = await functionRegistry(c.env, caller.accountId).createAlias(name, {
    name: aliasName,
    functionVersion: request.FunctionVersion,
    description: request.Description ?? '',
    ...(weights && Object.keys(weights).length > 0 ? { additionalVersionWeights: weights } : {}),
    revisionId: crypto.randomUUID(),
  });
  if (!result.ok) throw versionsError(result, caller, name, aliasName);
  return c.json(renderAlias(result.value, caller, name), 201);
});

aliasRoutes.get(PATH, async (c) => {
  const caller = c.get('caller');
  const name = unqualifiedName(c);
  const functionVersion = c.req.query('FunctionVersion') || undefined;
  if (functionVersion !== undefined && !new RegExp(`^${VERSION_PATTERN}$`).test(functionVersion)) {
    throw validationError(functionVersion, 'functionVersion', `Member must satisfy regular expression pattern: ${VERSION_PATTERN}`);
  }
  const maxItems = Math.min(parseMaxItems(c.req.query('MaxItems')), LIST_FUNCTIONS_MAX_ITEMS);
  const result = await functionRegistry(c.env, caller.accountId).listAliases(name, functionVersion, c.req.query('Marker') || undefined, maxItems);
  if (!result.ok) throw versionsError(result, caller, name);
  return c.json({
    Aliases: result.value.aliases.map((a) => renderAlias(a, caller, name)),
    ...(result.value.nextMarker ? { NextMarker: result.value.nextMarker } : {}),
  });
});

aliasRoutes.get(`${PATH}/:alias`, async (c) => {
  const { caller, name, aliasName } = aliasPath(c);
  const result = await functionRegistry(c.env, caller.accountId).getAlias(name, aliasName);
  if (!result.ok) throw versionsError(result, caller, name, aliasName);
  return c.json(renderAlias(result.value, caller, name));
});

aliasRoutes.put(`${PATH}/:alias`, async (c) => {
  const { caller, name, aliasName } = aliasPath(c);
  const request = parseRequest(UpdateAliasRequest, jsonBody(c));
  const weights = checkWeights(request.RoutingConfig?.AdditionalVersionWeights);
  const result = await functionRegistry(c.env, caller.accountId).updateAlias(
    name,
    aliasName,
    {
      ...(request.FunctionVersion !== undefined && { functionVersion: request.FunctionVersion }),
      ...(request.Description !== undefined && { description: request.Description }),
      // A RoutingConfig without weights clears the routing, as in Lambda.
      ...(request.RoutingConfig !== undefined && { additionalVersionWeights: weights ?? {} }),
    },
    request.RevisionId,
  );
  // UpdateAlias words a missing alias its own way (GetAlias: "Cannot find alias arn: ...").
  if (!result.ok && result.error === 'alias-not-found') throw resourceNotFound(`Alias not found: ${functionArn(caller, name, aliasName)}`);
  if (!result.ok) throw versionsError(result, caller, name, aliasName);
  return c.json(renderAlias(result.value, caller, name));
});

aliasRoutes.delete(`${PATH}/:alias`, async (c) => {
  const { caller, name, aliasName } = aliasPath(c);
  const result = await functionRegistry(c.env, caller.accountId).deleteAlias(name, aliasName);
  // Deleting an alias that is not there succeeds, as in Lambda (a missing function does not).
  if (!result.ok && result.error === 'alias-not-found') return c.body(null, 204);
  if (!result.ok) throw versionsError(result, caller, name, aliasName);
  await forgetUrlIds(c.env, caller.accountId, result.value.forgottenUrlIds);
  return c.body(null, 204);
});
