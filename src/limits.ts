// Platform limits as named constants with units. Lambda's own quotas are in
// ../shared/LAMBDA-REFERENCE.md; where faasbox differs, docs/ARCHITECTURE.md says why.

export const FUNCTION_NAME_MAX_CHARS = 64;
export const FUNCTION_ARN_MAX_CHARS = 140;
export const HANDLER_MAX_CHARS = 128;
export const DESCRIPTION_MAX_CHARS = 256;
export const TIMEOUT_MIN_SECONDS = 1;
export const TIMEOUT_MAX_SECONDS = 900;
export const TIMEOUT_DEFAULT_SECONDS = 3;
export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10_240;
export const MEMORY_DEFAULT_MB = 128;
/** EphemeralStorage.Size (Lambda's /tmp): stored and shown, not enforced (README, "Function configuration members"). */
export const EPHEMERAL_STORAGE_MIN_MB = 512;
export const EPHEMERAL_STORAGE_MAX_MB = 10_240;
/** All environment variable names and values together. */
export const ENVIRONMENT_MAX_BYTES = 4 * 1024;

/** Invoke request and response payloads (synchronous). */
export const SYNC_PAYLOAD_MAX_BYTES = 6 * 1024 * 1024;
/** Invoke payloads with InvocationType Event. */
export const ASYNC_PAYLOAD_MAX_BYTES = 1024 * 1024;
/** CreateFunction / UpdateFunctionCode request bodies, as Lambda measures them. */
export const CODE_REQUEST_MAX_BYTES = 70_167_211;
/**
 * Request bodies of every signed API but Lambda's (SQS, CloudWatch Logs, EventBridge, X-Ray,
 * faasbox's /api): above their largest legitimate body (an SQS batch of 256 KiB, form-encoded), so
 * that no more is buffered for a request whose signature is not verified yet.
 */
export const SERVICE_REQUEST_MAX_BYTES = 2 * 1024 * 1024;
/** The zip file itself, decoded. */
export const ZIP_MAX_BYTES = 50 * 1024 * 1024;
export const UNZIPPED_MAX_BYTES = 262_144_000;

/** Last bytes of an invocation's log returned with LogType Tail. */
export const TAIL_LOG_MAX_BYTES = 4 * 1024;

/**
 * Headers and cookies of a function URL result, counted as `name: value\r\n` lines in UTF-8.
 * Cloudflare caps a response's headers at 128 KB; 8 KiB stay for the ones faasbox adds (request
 * id, CORS). Past it the URL answers 502 (docs/FUNCTION-URLS.md).
 */
export const URL_RESULT_HEADERS_MAX_BYTES = 120 * 1024;

export const LIST_FUNCTIONS_MAX_ITEMS = 50;

/** Tags of one Lambda function or event source mapping, and of one SQS queue. */
export const LAMBDA_TAGS_PER_RESOURCE_MAX = 50;
export const SQS_TAGS_PER_QUEUE_MAX = 50;
/** A tag key and value, in characters (Unicode code points). */
export const TAG_KEY_MAX_CHARS = 128;
export const TAG_VALUE_MAX_CHARS = 256;

/** Largest clock difference accepted in a SigV4 request's X-Amz-Date. */
export const SIGV4_MAX_SKEW_MS = 15 * 60 * 1000;

/** Outbound fetch caps lent to one invocation. */
export const FETCH_MAX_REQUESTS_PER_INVOCATION = 50;
export const FETCH_MAX_BODY_BYTES = 6 * 1024 * 1024;
/** The same caps for a playground sandbox's function, when the operator turns its outbound fetch on (docs/PLAYGROUND.md, "Quotas"). */
export const SANDBOX_FETCH_MAX_REQUESTS_PER_INVOCATION = 5;
export const SANDBOX_FETCH_MAX_BODY_BYTES = 1024 * 1024;
/** Entries of each of a function's own egress lists (allow, deny), and characters of one entry. */
export const FUNCTION_EGRESS_ENTRIES_MAX = 100;
export const FUNCTION_EGRESS_ENTRY_MAX_CHARS = 260;
/** Hosts an isolate remembers as the platform's own (the ones it answered requests on), most recent kept. */
export const PLATFORM_HOSTS_REMEMBERED_MAX = 64;
/** Function qualifiers whose resolved configuration an isolate keeps for invocations (services/resolve-function.ts), least recently used dropped. */
export const FUNCTION_CACHE_MAX_ENTRIES = 1_000;
/**
 * Admission slots (invoke/admission.ts): how long a finished invocation's slot waits in its isolate
 * for the function's next invocation before it goes back to the ConcurrencyLimiter, in ms; and
 * how much longer than one invocation's lease a slot's lease runs, within which the isolate may
 * reuse it (one acquire per slot per this many ms for a hot function; a crashed isolate's slots
 * come back this much later than a single lease's would).
 */
export const ADMISSION_SLOT_IDLE_MS = 100;
export const ADMISSION_SLOT_REUSE_MS = 5_000;
/**
 * Metrics and billing usage of an isolate's invocations are written in batches (invoke/metrics-batch.ts):
 * a batch waits this long (ms) for more entries after its first, or is written at this many entries.
 */
export const METRICS_BATCH_DELAY_MS = 10;
export const METRICS_BATCH_MAX_ENTRIES = 100;
/** Tries of a batch's write before its loss is logged; each retry waits this many ms times its number. */
export const METRICS_BATCH_TRIES = 3;
export const METRICS_BATCH_RETRY_MS = 50;
/** How long a request waits for another request's write of the batch holding its entry, in ms (its own waitUntil outlives the write). */
export const METRICS_BATCH_WAIT_MAX_MS = 10_000;
/** Room left for the clocks of an isolate and of its ConcurrencyLimiter to differ, in ms: a slot is reused only this much before its lease could end. */
export const ADMISSION_CLOCK_MARGIN_MS = 1_000;

/**
 * How long an execution environment is lent to invocations after its creation, in seconds: then
 * it is retired and the next invocation starts a new one (Lambda's environments also live hours
 * at most). Its role's credentials are minted at its creation, so they must outlive it.
 */
export const ENVIRONMENT_MAX_AGE_SECONDS = 2 * 60 * 60;
/**
 * Lifetime of the role credentials a new environment gets, in seconds: its maximum age, plus the
 * longest timeout its last invocation can run, plus 15 minutes of margin (2 h 30 min).
 */
export const FUNCTION_CREDENTIALS_SECONDS = ENVIRONMENT_MAX_AGE_SECONDS + TIMEOUT_MAX_SECONDS + 15 * 60;

/** Lifetime of a GetFunction Code.Location download link. */
export const CODE_LOCATION_TTL_MS = 10 * 60 * 1000;

/** Saved test events per function, as the Lambda console allows (docs/TEST-EVENTS.md). */
export const TEST_EVENTS_PER_FUNCTION_MAX = 10;
export const TEST_EVENT_NAME_MAX_CHARS = 25;
/** A test event's JSON text in UTF-8: 256 KiB, Lambda's asynchronous payload limit before 2025. */
export const TEST_EVENT_MAX_BYTES = 256 * 1024;

/**
 * Published versions per function of a playground sandbox: each keeps its zip, so without a cap a
 * sandbox could store a zip a call (docs/PLAYGROUND.md, "Quotas").
 */
export const PLAYGROUND_VERSIONS_PER_FUNCTION = 10;
/** Shares a playground sandbox may make: each is up to 1 MiB and outlives the sandbox by weeks. */
export const PLAYGROUND_SHARES_PER_SANDBOX = 20;
