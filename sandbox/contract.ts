// The plain-data contract between the control plane (src/) and the sandbox. No QuickJS handle,
// binding or HTTP type appears here: src/ sees only these shapes.

/** Node.js runtimes faasbox accepts; each runs on QuickJS (docs/ARCHITECTURE.md). */
export const NODE_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;
/** Python runtimes faasbox accepts; each runs on MicroPython (docs/PYTHON.md). */
export const PYTHON_RUNTIMES = ['python3.12', 'python3.13', 'python3.14'] as const;
/** Runtimes faasbox accepts. */
export const SUPPORTED_RUNTIMES = [...NODE_RUNTIMES, ...PYTHON_RUNTIMES] as const;
export type RuntimeId = (typeof SUPPORTED_RUNTIMES)[number];
export type PythonRuntimeId = (typeof PYTHON_RUNTIMES)[number];

/** Whether `runtime` is one of faasbox's Python runtimes (MicroPython) rather than a Node.js one (QuickJS). */
export function isPythonRuntime(runtime: string): runtime is PythonRuntimeId {
  return (PYTHON_RUNTIMES as readonly string[]).includes(runtime);
}

/**
 * Everything needed to start (or find warm) an execution environment for one function version.
 * Two invocations with the same `environmentKey` may share a warm environment, one at a time;
 * the key must change whenever code or configuration changes (it includes the RevisionId).
 */
export interface EnvironmentSpec {
  /** Pool key: tenant + function + version + revision. Never shared across tenants. */
  environmentKey: string;
  /** The bundle's text files by path relative to the bundle root, e.g. `lib/util.js`. */
  files: Readonly<Record<string, string>>;
  /**
   * The function's layers' text files, each layer's by path relative to /opt (`nodejs/node_modules/x/index.js`),
   * in extraction order: a later layer's file wins over an earlier one's at the same path. Absent: no layers.
   */
  layerFiles?: readonly Readonly<Record<string, string>>[];
  /** Lambda handler string, e.g. `index.handler` or `src/app.routes.get`. */
  handler: string;
  runtime: RuntimeId;
  /** The function's configured MemorySize, shown to the guest and in REPORT lines. */
  memorySizeMb: number;
  /** The enforced cap: the maximum of this environment's WebAssembly.Memory, in bytes. */
  memoryLimitBytes: number;
  timeoutMs: number;
  /** User variables merged with Lambda's reserved ones; what `process.env` holds. */
  environmentVariables: Readonly<Record<string, string>>;
  /**
   * Variables made for each new environment and merged over `environmentVariables` (a role's
   * temporary credentials): called once, before the environment is created, never for a warm one.
   * A rejection ends the invocation as a runtime exit, with nothing created.
   */
  coldStartVariables?: () => Promise<Readonly<Record<string, string>>>;
  functionName: string;
  functionVersion: string;
  logGroupName: string;
  region: string;
  /**
   * How the guest's console writes (Lambda's LoggingConfig.LogFormat): `JSON` makes each record's
   * message a JSON object text of its fields but timestamp, level and request id; absent: Text.
   */
  logFormat?: 'Text' | 'JSON';
  /** With JSON: console calls below this level do nothing, as in Lambda's runtime (absent: all are kept). */
  applicationLogLevel?: LogLevel;
  /**
   * SnapStart: the first cold start of this key in the isolate keeps a snapshot of its initialised
   * environment (the guest's memory after the module's top-level code ran), and later cold starts
   * of the key restore it instead of running init (random sources re-seeded, the log stream and
   * `coldStartVariables` the new environment's own). Absent: every cold start runs init.
   */
  snapStart?: boolean;
}

/** One invocation's input. `eventJson` is the raw payload, already checked to be JSON. */
export interface InvocationInput {
  requestId: string;
  eventJson: string;
  invokedFunctionArn: string;
  /** Decoded ClientContext JSON (X-Amz-Client-Context), if any. */
  clientContextJson?: string;
  /** The invocation's trace: `context.xRayTraceId` and `_X_AMZN_TRACE_ID` (`Root=...;Parent=...;Sampled=...`). */
  xRayTraceId?: string;
  /** The same trace as a W3C `traceparent`, for `context.w3c()`. */
  traceparent?: string;
}

/** What the host lends the guest for one invocation, with per-invocation caps. */
export interface GuestCapabilities {
  /**
   * The host's fetch; the sandbox calls it for the guest's `fetch`. `spanId` (16 hex digits) names
   * this request in the report's `fetches`, so the host can put it in trace headers.
   */
  fetch: (request: Request, spanId: string) => Promise<Response>;
  maxFetchRequests: number;
  /** Cap on each outbound request body and each response body the guest reads, in bytes. */
  maxFetchBodyBytes: number;
  /**
   * The operator's and the platform's additions to the fixed egress rules (sandbox/host/egress.ts);
   * without it the fixed rules alone apply. Checked before a request leaves and at every redirect.
   */
  egress?: EgressRules;
  /** Told of the invocation's progress while it runs (the control plane streams its log lines); optional. */
  observer?: InvocationObserver;
  /**
   * An origin (`https://aws.faasbox.internal`) that the control plane serves itself, in process:
   * a request to it as its first hop skips the egress rules and goes to `fetch` like any other
   * (counted, capped, recorded). A redirect to it still meets the egress rules.
   */
  internalOrigin?: string;
}

/**
 * Hears one invocation while it runs, so its log lines can leave before it ends. Called on the
 * invocation's own request, in order: `started` once, then `console` per record. The report's
 * `console` holds the same records at the end (but empty when the host itself failed; what
 * was heard is still what the function wrote).
 */
export interface InvocationObserver {
  /** An environment took the invocation (warm or new, before any init), with its log stream; `coldStart` when it runs init first. */
  started(logStreamName: string, coldStart: boolean): void;
  /** A console record as kept: the per-invocation cap applied, its truncation marker last. */
  console(record: ConsoleRecord): void;
}

/** A host[:port] of an egress list: `hostname` as the URL parser serialises it, any port when `port` is absent. */
export interface EgressHost {
  hostname: string;
  port?: number;
}

/**
 * An entry of a function's own egress list (sandbox/host/egress-patterns.ts parses and prints
 * them): one host name, every name under a domain (`*.example.org`), or an IP address range (a
 * single address is a range of its full length). Any port when `port` is absent.
 */
export type EgressPattern =
  | { host: string; port?: number }
  | { domain: string; port?: number }
  | { address: string; prefixBits: number; port?: number };

/**
 * A function's own egress rules (the analogue of Lambda's VpcConfig, docs/SECURITY.md): checked
 * after the platform's, so they only narrow what it allows. `deny` first; with `allowListOnly`,
 * only what `allow` lists is reachable (nothing when it is empty).
 */
export interface FunctionEgressRules {
  allowListOnly: boolean;
  allow: readonly EgressPattern[];
  deny: readonly EgressPattern[];
}

/** What the control plane adds to the sandbox's fixed egress rules, as plain data. */
export interface EgressRules {
  /** Reachable although a fixed rule refuses them (FAASBOX_EGRESS_ALLOW): wins over every platform rule, never over the function's own. */
  allow: readonly EgressHost[];
  /** The platform's own domains: each is refused with every name under it. */
  platformDomains: readonly string[];
  /** The platform's own hosts known by name alone (those the Worker has answered requests on): refused at every port, names under them not. */
  platformHosts?: readonly string[];
  /** The function's own lists, checked after every platform rule; absent: none. */
  function?: FunctionEgressRules;
  /** Only https: URLs, before every other rule (the allow list included). */
  httpsOnly?: boolean;
  /** Every request is refused with this message (outbound requests switched off for this function). */
  refuseAll?: string;
}

/** Lambda's guest-visible error shape, built from guest frames only. */
export interface GuestError {
  errorType: string;
  errorMessage: string;
  trace: string[];
  /**
   * The error as the function's runtime replies it when that is not the Node.js shape above:
   * Lambda's Python runtime answers `{errorMessage, errorType, requestId, stackTrace}`, and it has
   * already written its own `[ERROR]` log record of it. Absent: `{errorType, errorMessage, trace}`.
   */
  reply?: PythonErrorReply;
}

/** Lambda's Python runtime's error reply (aws-lambda-python-runtime-interface-client's make_error). */
export interface PythonErrorReply {
  errorMessage: string;
  errorType: string;
  requestId: string;
  stackTrace: string[];
}

/**
 * Why an invocation did not succeed. `function-error` is the handler throwing or rejecting;
 * the rest are failures of the runtime around it.
 */
export type FailureReason =
  | 'function-error'
  | 'timeout'
  | 'out-of-memory'
  | 'runtime-exit'
  | 'handler-not-found'
  | 'malformed-handler'
  | 'import-module-error'
  | 'syntax-error'
  | 'callback-deprecated'
  | 'response-too-large';

/**
 * What stopped an invocation that timed out. `deadline`: the clock reached it (in the interrupt
 * handler or between slices of work). `step-budget`: the guest ran a whole step budget while the
 * clock stood still, which happens only where the clock is frozen during synchronous execution
 * (production Workers); docs/ARCHITECTURE.md, Timeout.
 */
export type TimeoutMechanism = 'deadline' | 'step-budget';

export type InvocationResult =
  | { kind: 'success'; payloadJson: string }
  | { kind: 'failure'; reason: FailureReason; error: GuestError };

export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'TRACE' | 'FATAL';

/** One console call of the guest, before Lambda's line formatting (done by src/). */
export interface ConsoleRecord {
  timestampMs: number;
  level: LogLevel;
  message: string;
  /** The host's own line (the per-invocation cap's truncation marker): plain text in every format. */
  marker?: true;
  /**
   * A line written as is, without Lambda's time, request id and level prefix, in every format:
   * Python's stdout and stderr, and its runtime's own formatted log lines.
   */
  raw?: true;
}

export interface InvocationReport {
  result: InvocationResult;
  /** Console output in order; capped per invocation, with a truncation marker record when cut. */
  console: ConsoleRecord[];
  /** Handler time, from the call to the settled result, in milliseconds. */
  durationMs: number;
  /**
   * Set on a cold start that ran init: from the start of the cold start (a bootstrap on its path
   * included, a spare's made before it not) to the end of the module's init, in milliseconds.
   */
  initDurationMs?: number;
  /** Set instead on a cold start restored from a SnapStart snapshot: from its start to the guest ready, in milliseconds. */
  restoreDurationMs?: number;
  /** High-water mark of the environment's WASM memory, in bytes (measured, never estimated). */
  maxMemoryUsedBytes: number;
  /** Lambda-style log stream of the environment that ran: `YYYY/MM/DD/[version]<32 hex>`. */
  logStreamName: string;
  /** When the handler was called (after any init), epoch ms; absent when it never was. */
  handlerStartedAtMs?: number;
  /** The guest's outbound requests that left the sandbox, in start order (for traces). */
  fetches?: FetchRecord[];
  /** Set when the result is a timeout (of the handler or of init): which mechanism stopped it. */
  timedOutBy?: TimeoutMechanism;
}

/** One outbound request of the guest, as traces record it. */
export interface FetchRecord {
  /** 16 hex digits, made by the sandbox and passed to `GuestCapabilities.fetch`. */
  spanId: string;
  method: string;
  url: string;
  startedAtMs: number;
  endedAtMs: number;
  /** The response's status; absent when the request failed. */
  status?: number;
  /** Why it failed: a network error, a body cap, or the invocation ending first. */
  error?: string;
}
