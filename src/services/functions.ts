// Function operations, shared by the Lambda API's routes and the admin API: create, update code
// or configuration, publish a version, and delete a function (or one version) with everything
// that hangs off it. Inputs are already validated (the routes parse them); failures are thrown
// as Lambda's errors. A playground sandbox's caller also meets its quotas here (services/playground/quotas.ts).
import { concurrencyLimiter, functionRegistry } from '../bindings';
import { acceptZip, codeKey, functionCodePrefix, PLATFORM_ZIP_LIMITS } from '../code/bundle';
import { aliasNotFound, functionNotFound, invalidParameter, LambdaError, preconditionFailed, resourceConflict } from '../errors';
import { functionArn, type Caller } from '../function-names';
import { lambdaTimestamp, type FunctionChanges, type FunctionRecord, type NewFunctionRecord } from '../records/function';
import type { VersionsError } from '../records/versions';
import { forgetFunctionUrls } from './function-urls';
import { checkFunctionCount, checkFunctionSettings, isSandbox, sandboxZipLimits, type MaybeSandboxCaller } from './playground/quotas';
import { readConfig } from '../config';
import { PLAYGROUND_VERSIONS_PER_FUNCTION } from '../limits';
import { quotaMessage } from '../playground/quota-messages';
import { checkExecutionRole, checkRoleAllows } from './iam/execution-role';
import { checkCombinedSize, functionUnzippedBytes } from './layers';
import type { FunctionLayer } from '../records/function';
import type { Principal } from '../iam/principal';
import { namesS3Object, readCodeObject } from './s3/code-objects';

/** Who calls a function operation: any caller; a sandbox's key (`playground`) brings its quotas. */
type OperationCaller = Caller & MaybeSandboxCaller;
/** Who uploads code: a signed caller, whose identity IAM asks about reading code from S3. */
type CodeCaller = OperationCaller & { principal: Principal };

/** Where a function's code comes from: a base64 zip, or an object of the caller's S3 (no container images). */
export interface CodeSource {
  ZipFile?: string;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}

/** The configuration a new function starts with (its variables in clear: the registry seals them). */
export type FunctionSettings = Pick<
  NewFunctionRecord,
  'runtime' | 'handler' | 'role' | 'description' | 'timeoutSeconds' | 'memorySizeMb' | 'environment' | 'kmsKeyArn' | 'tracingMode' | 'deadLetterTargetArn' | 'loggingConfig'
  | 'environmentGiven' | 'architecture' | 'ephemeralStorageMb' | 'snapStartApplyOn' | 'vpcConfig' | 'tags'
  | 'layers'
>;

/** The $LATEST record of `name`, or ResourceNotFoundException (also for any qualifier but $LATEST). */
export async function getLatestFunction(env: Env, caller: Caller, name: string, qualifier?: string): Promise<FunctionRecord> {
  const record = await functionRegistry(env, caller.accountId).get(name);
  if (!record || (qualifier !== undefined && qualifier !== '$LATEST')) throw functionNotFound(functionArn(caller, name, qualifier));
  return record;
}

/**
 * CreateFunction: stores the zip, then the record; with `publish`, also version 1 (the record
 * answered is then the version's).
 */
export async function createFunction(env: Env, caller: CodeCaller, name: string, settings: FunctionSettings, source: CodeSource, publish: boolean): Promise<FunctionRecord> {
  const registry = functionRegistry(env, caller.accountId);
  if (await registry.get(name)) throw resourceConflict(`Function already exist: ${name}`);
  checkFunctionSettings(env, caller, settings);
  await checkRoleSettings(env, caller, settings.role, settings.deadLetterTargetArn);
  await checkFunctionCount(env, caller);
  const code = await storeCode(env, caller, name, source, false, settings.layers);
  const result = await registry.create({
    name,
    ...settings,
    ...code,
    revisionId: crypto.randomUUID(),
    lastModified: lambdaTimestamp(),
  });
  if (!result.ok) throw resourceConflict(`Function already exist: ${name}`);
  return publish ? publishVersion(env, caller, name, {}) : result.value;
}

/** UpdateFunctionConfiguration of $LATEST; `revisionId`, when given, must be the current one. */
export async function updateFunctionConfiguration(env: Env, caller: OperationCaller, name: string, changes: FunctionChanges, revisionId?: string): Promise<FunctionRecord> {
  checkFunctionSettings(env, caller, changes);
  const registry = functionRegistry(env, caller.accountId);
  if (changes.role !== undefined || changes.deadLetterTargetArn !== undefined) {
    // The role the function will have must be able to send to the dead-letter queue it will have.
    const current = await registry.get(name);
    const deadLetterTargetArn = 'deadLetterTargetArn' in changes ? changes.deadLetterTargetArn : current?.deadLetterTargetArn;
    if (current) await checkRoleSettings(env, caller, changes.role ?? current.role, deadLetterTargetArn, changes.role !== undefined);
  }
  if (changes.layers !== undefined) {
    const current = await registry.get(name);
    if (current) checkCombinedSize(await functionUnzippedBytes(env, current), changes.layers);
  }
  const result = await registry.update(name, changes, revisionId);
  if (!result.ok) throw updateFailed(result.error, caller, name);
  return result.value.record;
}

/**
 * UpdateFunctionCode of `current` ($LATEST). With `dryRun` nothing is stored and the record
 * answered carries the new zip's hash and size; with `publish` the answer is the new version.
 * A zip no version runs any more is deleted.
 */
export async function updateFunctionCode(
  env: Env,
  caller: CodeCaller,
  current: FunctionRecord,
  source: CodeSource,
  options: { revisionId?: string; dryRun?: boolean; publish?: boolean; architecture?: FunctionRecord['architecture'] },
): Promise<FunctionRecord> {
  if (options.revisionId !== undefined && options.revisionId !== current.revisionId) throw staleRevision();
  const code = await storeCode(env, caller, current.name, source, options.dryRun, current.layers);
  const architecture = options.architecture !== undefined ? { architecture: options.architecture } : {};
  if (options.dryRun) return { ...current, codeSha256: code.codeSha256, codeSize: code.codeSize, ...architecture };
  const registry = functionRegistry(env, caller.accountId);
  const result = await registry.update(current.name, { ...code, ...architecture }, options.revisionId);
  if (!result.ok) {
    // The zip just stored may be one $LATEST or a published version already runs (same content).
    if (!(await registry.codeKeyInUse(current.name, code.codeKey))) await env.CODE.delete(code.codeKey);
    throw updateFailed(result.error, caller, current.name);
  }
  // The replaced zip goes only when no published version still runs it.
  if (result.value.releasedCodeKey) await env.CODE.delete(result.value.releasedCodeKey);
  return options.publish ? publishVersion(env, caller, current.name, {}) : result.value.record;
}

/** PublishVersion of $LATEST (also CreateFunction and UpdateFunctionCode with Publish). */
export async function publishVersion(env: Env, caller: Caller & { playground?: boolean }, name: string, request: { CodeSha256?: string; RevisionId?: string; Description?: string }): Promise<FunctionRecord> {
  const result = await functionRegistry(env, caller.accountId).publishVersion(name, {
    codeSha256: request.CodeSha256, revisionId: request.RevisionId, description: request.Description,
    maxVersions: isSandbox(caller) ? PLAYGROUND_VERSIONS_PER_FUNCTION : undefined,
  });
  if (!result.ok && result.error === 'version-quota') throw new LambdaError(400, 'CodeStorageExceededException', quotaMessage(readConfig(env), 'versions'));
  if (!result.ok) throw versionsError(result, caller, name);
  return result.value;
}

/**
 * DeleteFunction. With a version `qualifier`, that version only (and its zip when nothing else
 * runs it; a missing version is no error). Without, the function and everything that hangs off it: its URLs and policies, its
 * versions and aliases, its saved test events, its reserved concurrency and every zip of it.
 */
export async function deleteFunction(env: Env, caller: Caller, name: string, qualifier?: string): Promise<void> {
  if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  const registry = functionRegistry(env, caller.accountId);
  if (qualifier !== undefined) {
    const result = await registry.deleteVersion(name, qualifier);
    // A version that is not there is deleted already, as Lambda answers (a missing function is not found).
    if (!result.ok && result.error === 'version-not-found') return;
    if (!result.ok) throw versionsError(result, caller, name);
    if (result.value.releasedCodeKey) await env.CODE.delete(result.value.releasedCodeKey);
    return;
  }
  const record = await getLatestFunction(env, caller, name);
  await forgetFunctionUrls(env, caller.accountId, record.name);
  await registry.delete(record.name);
  await concurrencyLimiter(env, caller.accountId).deleteReservation(record.name);
  await deleteCodePrefix(env.CODE, functionCodePrefix(caller.accountId, record.name));
}

/** Deletes every object under `prefix` (a function's or an account's code). */
export async function deleteCodePrefix(bucket: R2Bucket, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** Lambda's exception for a version or alias operation the registry refused. */
export function versionsError(error: VersionsError, caller: Caller, name: string, aliasName?: string): LambdaError {
  switch (error.error) {
    case 'not-found':
      return functionNotFound(functionArn(caller, name));
    case 'version-not-found':
      return functionNotFound(functionArn(caller, name, error.version));
    case 'alias-not-found':
      return aliasNotFound(functionArn(caller, name, aliasName));
    case 'alias-exists':
      return resourceConflict(`Alias already exists: ${functionArn(caller, name, aliasName)}`);
    case 'precondition':
      return staleRevision();
    case 'invalid':
      return invalidParameter(error.message);
    case 'code-sha-mismatch':
      return invalidParameter(`CodeSHA256 (${error.given}) is different from current CodeSHA256 in $LATEST (${error.current}). Please try again with the CodeSHA256 in $LATEST.`);
    case 'referenced':
      return resourceConflict(`Unable to delete version because the following aliases reference it: [${error.aliases.join(', ')}]`);
    case 'version-quota':
      return new LambdaError(400, 'CodeStorageExceededException', 'The function has as many published versions as it may have.');
  }
}

/**
 * Lambda's checks of a function's role (docs/IAM.md, "Execution roles"): Lambda must be able to
 * assume it (`roleChanged`: it is new, so checked), and it must allow sqs:SendMessage on the
 * dead-letter queue (sns:Publish on the dead-letter topic), if any.
 */
async function checkRoleSettings(env: Env, caller: Caller, role: string, deadLetterTargetArn: string | undefined, roleChanged = true): Promise<void> {
  if (roleChanged) await checkExecutionRole(env, caller.accountId, role);
  if (!deadLetterTargetArn) return;
  const topic = deadLetterTargetArn.split(':')[2] === 'sns';
  await checkRoleAllows(env, caller.accountId, role, [topic ? 'sns:Publish' : 'sqs:SendMessage'], deadLetterTargetArn, topic ? 'SNS' : 'SQS');
}

/**
 * Accepts an uploaded zip (with `layers`, within the size they may have together) and stores it
 * in R2 (unless `dryRun`); returns the code fields of a FunctionRecord.
 */
async function storeCode(env: Env, caller: CodeCaller, functionName: string, source: CodeSource, dryRun = false, layers?: FunctionLayer[]) {
  // Refused even beside a ZipFile: a location given is never ignored.
  if (source.ImageUri !== undefined) throw invalidParameter('faasbox runs Zip packages only: Code.ImageUri (container images) is not supported.');
  const fromS3 = namesS3Object(source);
  if (fromS3 && source.ZipFile !== undefined) throw invalidParameter('Please provide only one source for function code: Code.ZipFile, or Code.S3Bucket and Code.S3Key.');
  if (!fromS3 && source.ZipFile === undefined) throw invalidParameter('Please provide a source for function code.');
  const limits = sandboxZipLimits(env, caller) ?? PLATFORM_ZIP_LIMITS;
  const zip = await acceptZip(fromS3 ? await readCodeObject(env, caller, source, 'Code', limits.zipMaxBytes, limits.zipTooLarge) : source.ZipFile!, limits);
  checkCombinedSize(zip.unzippedBytes, layers);
  const key = codeKey(caller.accountId, functionName, zip.hexSha256);
  if (!dryRun) await env.CODE.put(key, zip.bytes);
  return { codeKey: key, codeSha256: zip.codeSha256, codeSize: zip.bytes.byteLength, codeUnzippedBytes: zip.unzippedBytes };
}

function staleRevision() {
  return preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
}

function updateFailed(error: 'not-found' | 'conflict' | 'precondition', caller: Caller, name: string): LambdaError {
  if (error === 'precondition') return staleRevision();
  return functionNotFound(functionArn(caller, name));
}
