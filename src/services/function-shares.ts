// Shares of a function (docs/PLAYGROUND.md, "Share and fork"): create an immutable public snapshot of its code,
// configuration (variables' names only), chosen test events and chosen invocations (log lines and
// usage, as the console's invocation page reads them), read one by its token, and delete expired
// ones (the every-minute cron). Snapshots live in R2 under a hash of the token, never the account.
import { logStore, metricsStore, playgroundRegistry } from '../bindings';
import { EPHEMERAL_STORAGE_MIN_MB, PLAYGROUND_SHARES_PER_SANDBOX } from '../limits';
import { quotaMessage } from '../playground/quota-messages';
import { billingConfig } from '../billing/prices';
import { pricesShown } from '../billing/statement';
import { readConfig } from '../config';
import { accountCipher, openEnvironment } from '../crypto/envelope';
import { invalidParameter, LambdaError } from '../errors';
import { functionArn, type Caller } from '../function-names';
import {
  parseShareExpiryKey, SHARE_EXPIRY_PREFIX, SHARE_INVOCATIONS_MAX, SHARE_LOG_LINES_MAX, SHARE_SNAPSHOT_MAX_BYTES,
  SHARE_SWEEP_MAX_PER_RUN, shareExpiryKey, shareKey, shareTokenHash, isShareToken, newShareToken,
  type SharedInvocation, type ShareSnapshot,
} from '../playground/share-snapshot';
import type { FunctionRecord } from '../records/function';
import { functionLogGroup } from '../logs/logging-config';
import { readCodeFiles } from './function-export';
import { listTestEvents } from './test-events';

/** What to put in a share besides the code and configuration. */
export interface ShareRequest {
  testEvents: string[];
  invocations: string[];
}

export interface CreatedShare {
  token: string;
  expiresAt: string;
}

/**
 * Snapshots `record` ($LATEST) with the chosen test events and invocations and stores it for
 * FAASBOX_PLAYGROUND_SHARE_TTL_SECONDS. Throws 404 for a test event or invocation the function
 * does not have, 400 past SHARE_SNAPSHOT_MAX_BYTES.
 */
export async function createShare(env: Env, caller: Caller & { playground?: boolean }, record: FunctionRecord, request: ShareRequest, nowMs = Date.now()): Promise<CreatedShare> {
  if (request.invocations.length > SHARE_INVOCATIONS_MAX) {
    throw invalidParameter(`A share carries at most ${SHARE_INVOCATIONS_MAX} invocations; ${request.invocations.length} were chosen.`);
  }
  const expiresAtMs = nowMs + readConfig(env).playgroundShareTtlSeconds * 1000;
  const [code, testEvents, invocations, variables] = await Promise.all([
    sharedCode(env, record),
    sharedTestEvents(env, caller, record.name, request.testEvents),
    Promise.all([...new Set(request.invocations)].map((requestId) => sharedInvocation(env, caller, record, requestId))),
    openEnvironment(accountCipher(env, caller.accountId), record.name, record.sealedEnvironment).catch(() => undefined),
  ]);
  const snapshot: ShareSnapshot = {
    FormatVersion: 1,
    CreatedAt: new Date(nowMs).toISOString(),
    ExpiresAt: new Date(expiresAtMs).toISOString(),
    Function: {
      FunctionName: record.name,
      Runtime: record.runtime,
      Handler: record.handler,
      Description: record.description,
      Timeout: record.timeoutSeconds,
      MemorySize: record.memorySizeMb,
      TracingConfig: { Mode: record.tracingMode },
      EphemeralStorage: { Size: record.ephemeralStorageMb ?? EPHEMERAL_STORAGE_MIN_MB },
      Architectures: [record.architecture ?? 'x86_64'],
      CodeSha256: record.codeSha256,
      CodeSize: record.codeSize,
      LastModified: record.lastModified,
      // Names only: a share is public, and values are often secrets.
      EnvironmentVariableNames: Object.keys(variables ?? {}).sort(),
    },
    Code: code,
    TestEvents: testEvents,
    Invocations: invocations,
    Prices: pricesShown(env, billingConfig(env)),
  };
  const text = JSON.stringify(snapshot);
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes > SHARE_SNAPSHOT_MAX_BYTES) {
    throw invalidParameter(
      `The share's snapshot would be ${bytes} bytes, over the limit of ${SHARE_SNAPSHOT_MAX_BYTES} bytes (1 MiB): choose fewer test events or invocations, or share a smaller function.`,
    );
  }
  // A sandbox's shares are counted (each outlives it by weeks): after the snapshot passed its checks, before it is stored.
  if (caller.playground && !(await playgroundRegistry(env).takeShare(caller.accountId, PLAYGROUND_SHARES_PER_SANDBOX))) {
    throw new LambdaError(400, 'LimitExceededException', quotaMessage(readConfig(env), 'shares'));
  }
  const token = newShareToken();
  const tokenHash = await shareTokenHash(token);
  await env.CODE.put(shareKey(tokenHash), text, {
    httpMetadata: { contentType: 'application/json' },
    customMetadata: { expiresAtMs: String(expiresAtMs) },
  });
  await env.CODE.put(shareExpiryKey(expiresAtMs, tokenHash), '');
  return { token, expiresAt: snapshot.ExpiresAt };
}

const shareNotFound = () => new LambdaError(404, 'ResourceNotFoundException', 'Share not found: the link is wrong or the share has expired.', { messageField: 'Message' });

/** The snapshot's JSON text of `token`; 404 when there is none or it has expired (even before the sweep deletes it). */
export async function readShare(env: Env, token: string, nowMs = Date.now()): Promise<string> {
  if (!isShareToken(token)) throw shareNotFound();
  const object = await env.CODE.get(shareKey(await shareTokenHash(token)));
  if (!object || !(Number(object.customMetadata?.expiresAtMs) > nowMs)) throw shareNotFound();
  return object.text();
}

/**
 * Deletes shares that expired at `nowMs`, earliest first, at most SHARE_SWEEP_MAX_PER_RUN (the
 * cron runs every minute); returns how many. Reads only the expiry index's due entries.
 */
export async function deleteExpiredShares(env: Env, nowMs: number): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  while (deleted < SHARE_SWEEP_MAX_PER_RUN) {
    const page = await env.CODE.list({ prefix: SHARE_EXPIRY_PREFIX, cursor, limit: SHARE_SWEEP_MAX_PER_RUN - deleted });
    const due = page.objects.map((o) => ({ key: o.key, entry: parseShareExpiryKey(o.key) })).filter((o) => !o.entry || o.entry.expiresAtMs <= nowMs);
    // The index is in expiry order: the first entry not yet due ends the sweep.
    const reachedFuture = due.length < page.objects.length;
    if (due.length > 0) {
      await env.CODE.delete(due.flatMap((o) => (o.entry ? [shareKey(o.entry.tokenHash), o.key] : [o.key])));
      deleted += due.length;
    }
    if (reachedFuture || !page.truncated) break;
    cursor = page.cursor;
  }
  return deleted;
}

/** The zip's files: text ones carried, others named. */
async function sharedCode(env: Env, record: FunctionRecord): Promise<ShareSnapshot['Code']> {
  const files = await readCodeFiles(env, record);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const code: ShareSnapshot['Code'] = { Files: [], OmittedFiles: [] };
  for (const [path, bytes] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    try {
      code.Files.push({ Path: path, Content: decoder.decode(bytes) });
    } catch {
      code.OmittedFiles.push({ Path: path, Bytes: bytes.byteLength });
    }
  }
  return code;
}

async function sharedTestEvents(env: Env, caller: Caller, functionName: string, names: string[]): Promise<ShareSnapshot['TestEvents']> {
  if (names.length === 0) return [];
  const saved = await listTestEvents(env, caller, functionName);
  return [...new Set(names)].map((name) => {
    const event = saved.find((e) => e.name === name);
    if (!event) throw new LambdaError(404, 'ResourceNotFoundException', `Test event not found: ${name} of ${functionArn(caller, functionName)}`, { messageField: 'Message' });
    if (!('event' in event)) throw invalidParameter(`The test event ${name} cannot be shared: faasbox was unable to decrypt it.`);
    return { Name: name, Event: event.event };
  });
}

/**
 * One invocation of `functionName` as the console's invocation page shows it: the usage records
 * of its request id (billing API) and the log lines that name it (FilterLogEvents on the
 * function's log group). 404 when neither knows it.
 */
async function sharedInvocation(env: Env, caller: Caller, record: FunctionRecord, requestId: string): Promise<SharedInvocation> {
  const functionName = record.name;
  const usage = await metricsStore(env, caller.accountId).invocations({ requestId, afterId: 0, maxItems: 100 });
  const attempts = usage.records.filter((r) => r.FunctionName === functionName);
  // Usage is recorded at an attempt's end: its lines lie within its timeout before that (the
  // whole group is searched while the usage is not written yet).
  const times = attempts.map((a) => Date.parse(a.Timestamp));
  const startTime = times.length > 0 ? Math.min(...times) - (record.timeoutSeconds + 60) * 1000 : 0;
  const endTime = times.length > 0 ? Math.max(...times) + 60_000 : Number.MAX_SAFE_INTEGER;
  const lines: SharedInvocation['LogLines'] = [];
  const logs = logStore(env, caller.accountId);
  let cursor: string | undefined;
  do {
    const page = await logs.filterEvents(functionLogGroup(record), {
      startTime, endTime, limit: SHARE_LOG_LINES_MAX - lines.length, cursor,
    }, { required: [requestId], excluded: [] });
    if (!page) break;
    lines.push(...page.events.map((e) => ({ Timestamp: e.timestamp, LogStreamName: e.logStreamName, Message: e.message })));
    cursor = page.cursor;
  } while (cursor && lines.length < SHARE_LOG_LINES_MAX);
  if (attempts.length === 0 && lines.length === 0) {
    throw new LambdaError(404, 'ResourceNotFoundException', `Invocation not found: ${requestId} of ${functionArn(caller, functionName)}`, { messageField: 'Message' });
  }
  return { RequestId: requestId, LogLines: lines, Attempts: attempts };
}
