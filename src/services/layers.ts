// Layer operations (docs/LAYERS.md): publishing a version (its zip to R2, its record to the
// account's FunctionRegistry), reading another account's layer only as its policy allows, and the
// checks of a function's Layers (at most 5, each one readable, 262,144,000 bytes with the code).
import { functionRegistry } from '../bindings';
import { acceptZip, layerCodeKey, PLATFORM_ZIP_LIMITS, storedUnzippedBytes } from '../code/bundle';
import { accessDenied, invalidParameter, LambdaError } from '../errors';
import type { Caller } from '../function-names';
import { AccessDeniedError } from '../iam/access-denied';
import type { Principal } from '../iam/principal';
import { resourcePolicyOf } from '../auth/resource-policy';
import { UNZIPPED_MAX_BYTES } from '../limits';
import { lambdaTimestamp, type FunctionLayer, type FunctionRecord } from '../records/function';
import { layerVersionArn, parseLayerArn, type LayerVersionRecord } from '../records/layers';
import { authorize } from './iam/authorize';
import { namesS3Object, readCodeObject } from './s3/code-objects';
import { sandboxZipLimits, type MaybeSandboxCaller } from './playground/quotas';

/** Layers one function may name (Lambda's quota). */
export const FUNCTION_LAYERS_MAX = 5;

/** A caller whose identity IAM can evaluate (a signed request's). */
type SignedCaller = Caller & MaybeSandboxCaller & { principal: Principal };

export interface PublishLayerInput {
  layerName: string;
  content: { ZipFile?: string; S3Bucket?: string; S3Key?: string; S3ObjectVersion?: string };
  description?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
}

/** PublishLayerVersion: the zip (given, or read from the caller's S3) is checked as a function's (Lambda's limits, a sandbox's quotas), stored, then numbered. */
export async function publishLayerVersion(env: Env, caller: SignedCaller, input: PublishLayerInput): Promise<LayerVersionRecord> {
  const { content } = input;
  const fromS3 = namesS3Object(content);
  if (fromS3 && content.ZipFile !== undefined) throw invalidParameter('Please provide only one source for layer content: Content.ZipFile, or Content.S3Bucket and Content.S3Key.');
  if (!fromS3 && content.ZipFile === undefined) throw invalidParameter('Please provide a source for layer content.');
  const limits = sandboxZipLimits(env, caller) ?? PLATFORM_ZIP_LIMITS;
  const zip = await acceptZip(fromS3 ? await readCodeObject(env, caller, content, 'Content', limits.zipMaxBytes, limits.zipTooLarge) : content.ZipFile!, limits);
  const codeKey = layerCodeKey(caller.accountId, input.layerName, zip.hexSha256);
  await env.CODE.put(codeKey, zip.bytes);
  return functionRegistry(env, caller.accountId).publishLayerVersion({
    layerName: input.layerName,
    description: input.description ?? '',
    createdDate: lambdaTimestamp(),
    ...(input.compatibleRuntimes !== undefined && { compatibleRuntimes: input.compatibleRuntimes }),
    ...(input.compatibleArchitectures !== undefined && { compatibleArchitectures: input.compatibleArchitectures }),
    ...(input.licenseInfo !== undefined && { licenseInfo: input.licenseInfo }),
    codeKey,
    codeSha256: zip.codeSha256,
    codeSize: zip.bytes.byteLength,
    unzippedBytes: zip.unzippedBytes,
  });
}

/**
 * lambda:GetLayerVersion on a layer version of `ownerAccountId` for `caller`: the caller's own
 * identity policies and, for another account's layer, the version's resource policy. Throws
 * Lambda's AccessDeniedException; the policy is read only when the decision needs it.
 */
export async function authorizeLayerRead(env: Env, caller: SignedCaller, ownerAccountId: string, layerName: string, version: number): Promise<void> {
  const arn = layerVersionArn(caller.region, ownerAccountId, layerName, version);
  try {
    await authorize(env, caller, { action: 'lambda:GetLayerVersion', resource: arn, resourceAccountId: ownerAccountId }, async () =>
      resourcePolicyOf((await functionRegistry(env, ownerAccountId).getLayerVersion(layerName, version))?.policy));
  } catch (error) {
    if (error instanceof AccessDeniedError) throw accessDenied(error.message);
    throw error;
  }
}

/**
 * The layers a CreateFunction or UpdateFunctionConfiguration names, checked in Lambda's order:
 * at most five; each a layer version ARN; in the function's region; readable by the caller
 * (lambda:GetLayerVersion: another account's only as its policy grants); existing; no two
 * versions of one layer. Each is kept as it is now (docs/LAYERS.md: a deleted version keeps working).
 */
export async function resolveFunctionLayers(env: Env, caller: SignedCaller, arns: readonly string[]): Promise<FunctionLayer[]> {
  if (arns.length > FUNCTION_LAYERS_MAX) throw invalidParameter(`Cannot reference more than ${FUNCTION_LAYERS_MAX} layers.`);
  const layers: FunctionLayer[] = [];
  const seen = new Map<string, string>();
  for (const arn of arns) {
    const parsed = parseLayerArn(arn);
    if (!parsed || parsed.version === undefined || arn.length > 140) throw invalidLayerArn(arn);
    if (parsed.region !== caller.region) {
      throw invalidParameter(`Layers are not in the same region as the function. Layers are expected to be in region ${caller.region}.`);
    }
    await authorizeLayerRead(env, caller, parsed.accountId, parsed.layerName, parsed.version);
    const found = await functionRegistry(env, parsed.accountId).getLayerVersion(parsed.layerName, parsed.version);
    if (!found) throw invalidParameter(`Layer version ${arn} does not exist.`);
    const sameLayer = `${parsed.accountId}:${parsed.layerName}`;
    const earlier = seen.get(sameLayer);
    if (earlier !== undefined) {
      throw invalidParameter(`Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier} and ${arn} are versions of the same layer.`);
    }
    seen.set(sameLayer, arn);
    layers.push({ arn, codeSize: found.layer.codeSize, codeKey: found.layer.codeKey, unzippedBytes: found.layer.unzippedBytes });
  }
  return layers;
}

function invalidLayerArn(arn: string): LambdaError {
  const pattern = '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)';
  return new LambdaError(400, 'ValidationException',
    `1 validation error detected: Value '[${arn}]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${pattern}, Member must not be null]`);
}

/**
 * Lambda's limit on a function's code and its layers together, unzipped: 262,144,000 bytes.
 * `codeUnzippedBytes` is the function's own zip's.
 */
export function checkCombinedSize(codeUnzippedBytes: number, layers: readonly FunctionLayer[] | undefined): void {
  const total = (layers ?? []).reduce((n, layer) => n + layer.unzippedBytes, codeUnzippedBytes);
  if ((layers ?? []).length > 0 && total > UNZIPPED_MAX_BYTES) {
    throw invalidParameter(`Function code combined with layers exceeds the maximum allowed size of ${UNZIPPED_MAX_BYTES} bytes. The actual size is ${total} bytes.`);
  }
}

/** The unzipped bytes of a stored function's own zip (read from R2 for a record from before layers). */
export async function functionUnzippedBytes(env: Env, record: FunctionRecord): Promise<number> {
  return record.codeUnzippedBytes ?? storedUnzippedBytes(env.CODE, record.codeKey);
}
