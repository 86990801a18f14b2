// Lambda's layer resource (paths under /2018-10-31/layers, docs/LAYERS.md): PublishLayerVersion,
// GetLayerVersion, GetLayerVersionByArn, ListLayers, ListLayerVersions, DeleteLayerVersion and
// the layer version policy operations. Parse, call the registry or services/layers.ts, render.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { functionRegistry } from '../../bindings';
import { invalidParameter, LambdaError, preconditionFailed, resourceConflict, validationError } from '../../errors';
import { buildStatement, policyDocument } from '../../auth/resource-policy';
import { layerArn, layerVersionArn, namedLayer, parseLayerArn, type LayerVersionRecord, type NamedLayer } from '../../records/layers';
import { publishLayerVersion } from '../../services/layers';
import { createCodeLocation } from './code-download';
import { parseRequest } from './function-config';
import { parseMaxItems } from './versions';

export const layerRoutes = new Hono<AppContext>();

const LAYERS = '/2018-10-31/layers';
const VERSION = `${LAYERS}/:layerName/versions/:version`;
/** Layers a List page holds at most (Lambda's MaxItems range, 1 to 50). */
const LAYER_LIST_MAX_ITEMS = 50;

const LAYER_NAME_PATTERN = '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
const LAYER_VERSION_ARN_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)';
const ARCHITECTURES = ['x86_64', 'arm64'];
/** Every Runtime value of Lambda's API model: what CompatibleRuntimes and the filters accept. */
const RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'java8', 'java8.al2', 'java11',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6',
  'dotnet8', 'nodejs4.3-edge', 'go1.x', 'ruby2.5', 'ruby2.7', 'provided', 'provided.al2', 'nodejs18.x', 'python3.10', 'java17', 'ruby3.2',
  'ruby3.3', 'ruby3.4', 'python3.11', 'nodejs20.x', 'provided.al2023', 'python3.12', 'java21', 'python3.13', 'nodejs22.x', 'nodejs24.x',
  'python3.14', 'java25', 'dotnet10', 'ruby4.0',
]);
/** The enum sets AWS names in its messages (recorded answers of Lambda, December 2026). */
const PUBLISH_RUNTIMES_MESSAGE = '[nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2]';
const FILTER_RUNTIMES_MESSAGE = '[ruby3.5, ruby2.6, dotnetcore1.0, python3.7, nodejs8.10, nasa, ruby2.7, python2.7-greengrass, dotnetcore2.0, python3.8, java21, dotnet6, dotnetcore2.1, python3.9, java11, nodejs6.10, provided, dotnetcore3.1, dotnet8, java25, java17, nodejs, nodejs4.3, java8.al2, go1.x, dotnet10, nodejs20.x, go1.9, byol, nodejs10.x, provided.al2023, nodejs22.x, python3.10, java8, nodejs12.x, python3.11, nodejs24.x, nodejs8.x, python3.12, nodejs14.x, nodejs8.9, nodejs26.x, python3.13, python3.14, nodejs16.x, python3.15, provided.al2, nodejs4.3-edge, nodejs18.x, ruby3.2, python3.4, ruby3.3, ruby3.4, ruby2.5, python3.6, python2.7]';

const PublishLayerVersionRequest = z.object({
  Content: z.object({
    ZipFile: z.string().optional(),
    S3Bucket: z.string().optional(),
    S3Key: z.string().optional(),
    S3ObjectVersion: z.string().optional(),
  }, { error: 'Member must not be null' }),
  Description: z.string().max(256, { error: 'Member must have length less than or equal to 256' }).optional(),
  CompatibleRuntimes: z.array(z.string()).max(15, { error: 'Member must have length less than or equal to 15' }).optional(),
  CompatibleArchitectures: z.array(z.string()).max(2, { error: 'Member must have length less than or equal to 2' }).optional(),
  LicenseInfo: z.string().max(512, { error: 'Member must have length less than or equal to 512' }).optional(),
});

const pattern = (regex: string) => z.string().regex(new RegExp(`^(${regex})$`), { error: `Member must satisfy regular expression pattern: ${regex}` });
const AddLayerVersionPermissionRequest = z.object({
  StatementId: pattern('[a-zA-Z0-9-_]+').max(100, { error: 'Member must have length less than or equal to 100' }),
  Action: pattern('lambda:GetLayerVersion'),
  Principal: pattern('\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root'),
  OrganizationId: pattern('o-[a-z0-9]{10,32}').optional(),
});

/** The `:layerName` of the request, checked against Lambda's pattern (ValidationException otherwise). */
function requestLayer(c: Context<AppContext>): NamedLayer {
  const raw = c.req.param('layerName') ?? '';
  const layer = raw.length <= 140 ? namedLayer(raw, c.get('caller')) : undefined;
  if (!layer) throw validationError(raw, 'layerName', `Member must satisfy regular expression pattern: ${LAYER_NAME_PATTERN}`);
  return layer;
}

/** The `:version` of the request: Lambda refuses a number below 1 before it looks for the layer. */
function requestVersion(c: Context<AppContext>): number {
  const version = Number(c.req.param('version'));
  if (!Number.isInteger(version) || version < 1) throw invalidParameter('Layer Version Cannot be less than 1');
  return version;
}

const resourceNotFound = (message: string) => new LambdaError(404, 'ResourceNotFoundException', message, { messageField: 'Message' });
const noSuchResource = () => resourceNotFound('The resource you requested does not exist.');
const noSuchLayerVersion = (layer: NamedLayer, version: number) =>
  resourceNotFound(`Layer version ${layerVersionArn(layer.region, layer.accountId, layer.layerName, version)} does not exist.`);
const stalePolicy = () =>
  preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id');

/** Whether the route may serve `layer`: the caller's own, or another account's that IAM allowed for this request. */
function reachable(c: Context<AppContext>, layer: NamedLayer): boolean {
  const caller = c.get('caller');
  return layer.region === caller.region && (layer.accountId === caller.accountId || c.get('authorizedAccountId') === layer.accountId);
}

/** GetLayerVersion's (and Publish's) answer: the version with a download link for its zip. */
async function renderLayerVersion(c: Context<AppContext>, accountId: string, layer: LayerVersionRecord) {
  const { region } = c.get('caller');
  return {
    Content: {
      Location: await createCodeLocation(c.env, new URL(c.req.url).origin, layer.codeKey),
      CodeSha256: layer.codeSha256,
      CodeSize: layer.codeSize,
    },
    LayerArn: layerArn(region, accountId, layer.layerName),
    ...renderListedVersion(region, accountId, layer),
  };
}

/** A LayerVersionsListItem: what ListLayerVersions and ListLayers show of a version. */
function renderListedVersion(region: string, accountId: string, layer: LayerVersionRecord) {
  return {
    LayerVersionArn: layerVersionArn(region, accountId, layer.layerName, layer.version),
    Version: layer.version,
    Description: layer.description,
    CreatedDate: layer.createdDate,
    ...(layer.compatibleRuntimes !== undefined && { CompatibleRuntimes: layer.compatibleRuntimes }),
    ...(layer.licenseInfo !== undefined && { LicenseInfo: layer.licenseInfo }),
    ...(layer.compatibleArchitectures !== undefined && { CompatibleArchitectures: layer.compatibleArchitectures }),
  };
}

/** PublishLayerVersion's CompatibleRuntimes and CompatibleArchitectures, each refused as a whole list, as Lambda words it. */
function checkCompatibilities(runtimes: string[] | undefined, architectures: string[] | undefined): void {
  const problems: string[] = [];
  if (runtimes?.some((r) => !RUNTIMES.has(r))) {
    problems.push(`Value '[${runtimes.join(', ')}]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: ${PUBLISH_RUNTIMES_MESSAGE}`);
  }
  if (architectures?.some((a) => !ARCHITECTURES.includes(a))) {
    problems.push(`Value '[${architectures.join(', ')}]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]`);
  }
  if (problems.length > 0) {
    throw new LambdaError(400, 'ValidationException', `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
}

/** The CompatibleRuntime and CompatibleArchitecture filters of the List operations. */
function listFilter(c: Context<AppContext>): { runtime?: string; architecture?: string } {
  const runtime = c.req.query('CompatibleRuntime') || undefined;
  const architecture = c.req.query('CompatibleArchitecture') || undefined;
  const problems: string[] = [];
  if (runtime !== undefined && !RUNTIMES.has(runtime)) {
    problems.push(`Value '${runtime}' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: ${FILTER_RUNTIMES_MESSAGE}`);
  }
  if (architecture !== undefined && !ARCHITECTURES.includes(architecture)) {
    problems.push(`Value '${architecture}' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]`);
  }
  if (problems.length > 0) {
    throw new LambdaError(400, 'ValidationException', `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
  return { ...(runtime !== undefined && { runtime }), ...(architecture !== undefined && { architecture }) };
}

layerRoutes.post(`${LAYERS}/:layerName/versions`, async (c) => {
  const layer = requestLayer(c);
  const request = parseRequest(PublishLayerVersionRequest, jsonBody(c));
  checkCompatibilities(request.CompatibleRuntimes, request.CompatibleArchitectures);
  if (!reachable(c, layer)) throw noSuchResource();
  const published = await publishLayerVersion(c.env, c.get('caller'), {
    layerName: layer.layerName,
    content: request.Content,
    description: request.Description,
    compatibleRuntimes: request.CompatibleRuntimes,
    compatibleArchitectures: request.CompatibleArchitectures,
    licenseInfo: request.LicenseInfo,
  });
  return c.json(await renderLayerVersion(c, layer.accountId, published), 201);
});

layerRoutes.get(`${LAYERS}/:layerName/versions`, async (c) => {
  const caller = c.get('caller');
  const layer = requestLayer(c);
  const filter = listFilter(c);
  const maxItems = parseMaxItems(c.req.query('MaxItems'), LAYER_LIST_MAX_ITEMS, LAYER_LIST_MAX_ITEMS);
  // Another account's layer versions are not listed (as for a layer that does not exist).
  const all = reachable(c, layer) ? await functionRegistry(c.env, layer.accountId).listLayerVersions(layer.layerName, filter) : [];
  const after = Number(c.req.query('Marker') ?? Infinity);
  const rows = all.filter((v) => v.version < after);
  const page = rows.slice(0, maxItems);
  return c.json({
    LayerVersions: page.map((v) => renderListedVersion(caller.region, layer.accountId, v)),
    ...(rows.length > maxItems ? { NextMarker: String(page[page.length - 1]!.version) } : {}),
  });
});

layerRoutes.get(LAYERS, async (c) => {
  const caller = c.get('caller');
  if (c.req.query('find') === 'LayerVersion') {
    // GetLayerVersionByArn.
    const arn = c.req.query('Arn') ?? '';
    const parsed = parseLayerArn(arn);
    if (!parsed || parsed.version === undefined || !new RegExp(`^(${LAYER_VERSION_ARN_PATTERN})$`).test(arn)) {
      throw validationError(arn, 'arn', `Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_PATTERN}`);
    }
    if (!reachable(c, parsed)) throw noSuchResource();
    const found = await functionRegistry(c.env, parsed.accountId).getLayerVersion(parsed.layerName, parsed.version);
    if (!found) throw noSuchResource();
    return c.json(await renderLayerVersion(c, parsed.accountId, found.layer));
  }
  const filter = listFilter(c);
  const maxItems = parseMaxItems(c.req.query('MaxItems'), LAYER_LIST_MAX_ITEMS, LAYER_LIST_MAX_ITEMS);
  const marker = c.req.query('Marker') || '';
  const rows = (await functionRegistry(c.env, caller.accountId).listLayers(filter)).filter((v) => v.layerName > marker);
  const page = rows.slice(0, maxItems);
  return c.json({
    Layers: page.map((v) => ({
      LayerName: v.layerName,
      LayerArn: layerArn(caller.region, caller.accountId, v.layerName),
      LatestMatchingVersion: renderListedVersion(caller.region, caller.accountId, v),
    })),
    ...(rows.length > maxItems ? { NextMarker: page[page.length - 1]!.layerName } : {}),
  });
});

layerRoutes.get(VERSION, async (c) => {
  const layer = requestLayer(c);
  const version = requestVersion(c);
  const found = reachable(c, layer) ? await functionRegistry(c.env, layer.accountId).getLayerVersion(layer.layerName, version) : undefined;
  if (!found) throw noSuchResource();
  return c.json(await renderLayerVersion(c, layer.accountId, found.layer));
});

layerRoutes.delete(VERSION, async (c) => {
  const layer = requestLayer(c);
  const version = requestVersion(c);
  // Idempotent, as Lambda's: a version (or layer) that does not exist answers 204 too.
  if (reachable(c, layer)) await functionRegistry(c.env, layer.accountId).deleteLayerVersion(layer.layerName, version);
  return c.body(null, 204);
});

layerRoutes.post(`${VERSION}/policy`, async (c) => {
  const layer = requestLayer(c);
  const version = requestVersion(c);
  const request = parseRequest(AddLayerVersionPermissionRequest, jsonBody(c));
  if (!reachable(c, layer)) throw noSuchLayerVersion(layer, version);
  const resource = layerVersionArn(layer.region, layer.accountId, layer.layerName, version);
  const statement = buildStatement({
    StatementId: request.StatementId, Action: request.Action, Principal: request.Principal,
    ...(request.OrganizationId !== undefined && { PrincipalOrgID: request.OrganizationId }),
  }, resource);
  const result = await functionRegistry(c.env, layer.accountId).addLayerPermission(layer.layerName, version, statement, c.req.query('RevisionId'));
  if (!result.ok) {
    if (result.error === 'conflict') {
      throw resourceConflict(`The statement id (${request.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
    }
    if (result.error === 'precondition') throw stalePolicy();
    throw noSuchLayerVersion(layer, version);
  }
  return c.json({ Statement: JSON.stringify(statement), RevisionId: result.value.revisionId }, 201);
});

layerRoutes.delete(`${VERSION}/policy/:sid`, async (c) => {
  const layer = requestLayer(c);
  const version = requestVersion(c);
  const sid = c.req.param('sid');
  if (!reachable(c, layer)) throw noSuchLayerVersion(layer, version);
  const result = await functionRegistry(c.env, layer.accountId).removeLayerPermission(layer.layerName, version, sid, c.req.query('RevisionId'));
  if (!result.ok) {
    if (result.error === 'precondition') throw stalePolicy();
    if (result.error === 'statement-not-found') throw resourceNotFound(`Statement ${sid} is not found in resource policy.`);
    throw noSuchLayerVersion(layer, version);
  }
  return c.body(null, 204);
});

layerRoutes.get(`${VERSION}/policy`, async (c) => {
  const layer = requestLayer(c);
  const version = requestVersion(c);
  const found = reachable(c, layer) ? await functionRegistry(c.env, layer.accountId).getLayerVersion(layer.layerName, version) : undefined;
  if (!found) throw noSuchLayerVersion(layer, version);
  if (!found.policy) throw resourceNotFound('No policy is associated with the given resource.');
  return c.json({ Policy: policyDocument(found.policy), RevisionId: found.policy.revisionId });
});
