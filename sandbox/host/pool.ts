// The environment pool: owns every environment of the isolate, warm or busy, and is the only
// place that creates, reuses, evicts and retires them, and that admits invocations within its
// memory budget (a busy environment counts at its cap: it may grow to it at any moment).
import { isPythonRuntime, type EnvironmentSpec, type GuestCapabilities, type InvocationInput, type InvocationReport } from '../contract';
import { Environment, type Clock, type ColdStartMode, type EnvironmentSnapshot } from './environment';
import { createEnvironment, environmentCapBytes, type PooledEnvironment } from './environments';
import { DEFAULT_RETAINED_SHARE_OF_CAP, MIN_ENVIRONMENT_MEMORY_BYTES } from './limits';
import { runtimeExit } from './outcomes';
import { memoryCapBytes } from './wasm-instance';

export interface EnvironmentPoolOptions {
  /**
   * WASM memory all environments may hold together, in bytes: busy ones at their cap, idle ones at
   * their size. Idle ones are evicted (LRU) to make room; past that an invocation waits for a busy
   * one to end. Only an invocation alone in the pool may exceed it (its cap is larger than the budget).
   */
  budgetBytes: number;
  /**
   * An environment whose memory grew past this is retired after its invocation, in bytes.
   * Default: 75% of each environment's own cap (never below the 16 MiB every instance starts with).
   */
  maxRetainedEnvironmentBytes?: number;
  /**
   * The clock every environment reads its deadlines and durations from, in epoch milliseconds.
   * Default `Date.now`. Tests pass one that stands still during synchronous work, as production
   * Workers' clock does, to exercise the step budget.
   */
  clock?: Clock;
  /**
   * Whether guests pause after each slice of CPU (limits.ts GUEST_SLICE_MS) so that the other
   * invocations of the isolate run in between. Default true; without JSPI nothing pauses. Off
   * only to measure or test the unpaused behaviour (bench/fairness, the step budget's tests).
   */
  pauseGuests?: boolean;
  /**
   * How long an environment may be reused after its creation, in ms: past it, it is retired
   * instead of lent again (a role's credentials made at its creation outlive it). Default: no limit.
   */
  maxEnvironmentAgeMs?: number;
  /**
   * SnapStart snapshots (specs with `snapStart`) the isolate may keep together, in bytes; past it
   * the least recently restored are dropped (their next cold start runs init and takes a new
   * one). They live in isolate memory only, one per environment key. Default 8 MiB.
   */
  snapshotBudgetBytes?: number;
  /**
   * Spare environments the pool keeps bootstrapped (WASM instance, QuickJS runtime and context, the
   * guest runtime's bootstrap evaluated, no function in them) for the next cold starts, so that a
   * cold start only loads the function. prepareSpares() builds them, off the invocation's path;
   * they count against the budget at their size and are the first evicted. Default 0.
   */
  spareEnvironments?: number;
}

export interface PoolStats {
  environments: number;
  busy: number;
  /** Invocations waiting for room in the budget. */
  waiting: number;
  /** Current WASM memory of every environment, busy and idle, in bytes. */
  totalMemoryBytes: number;
  /** What the budget is charged: busy environments at their cap, idle ones and spares at their size, in bytes. */
  reservedBytes: number;
  /** Spare environments ready for a cold start (not counted in `environments`; their memory is in the totals). */
  spares: number;
  /** SnapStart snapshots kept, and the bytes they hold (isolate memory, not WASM memory). */
  snapshots: number;
  snapshotBytes: number;
  /**
   * High-water marks since the pool was made, taken whenever an invocation is admitted, an
   * environment is created or ends an invocation: WASM memory held, what the budget was charged,
   * environments (spares included), in bytes and counts.
   */
  peak: { totalMemoryBytes: number; reservedBytes: number; environments: number };
}

/** The pool had no room in its budget within the wait allowed (Lambda's answer is a throttle). */
export interface PoolThrottle {
  throttled: 'pool-budget';
}

/** An invocation waiting for room: the cap it needs (its place in line is its index). */
interface Waiter {
  capBytes: number;
}

/**
 * How often a waiting invocation looks again for room. Each waiter polls on its own timer: in
 * Workers one request may not wake another's promise or clear its timer (the I/O of a request is
 * its own), so a release never reaches into a waiter.
 */
const ADMIT_POLL_MS = 5;

/** EnvironmentPoolOptions.snapshotBudgetBytes's default: 8 MiB. */
const DEFAULT_SNAPSHOT_BUDGET_BYTES = 8 * 1024 * 1024;

export class EnvironmentPool {
  /** Idle environments by key; each list is ordered least recently used first. */
  private readonly idle = new Map<string, PooledEnvironment[]>();
  private readonly busy = new Set<PooledEnvironment>();
  /** Last use of each idle environment, for LRU eviction across keys. */
  private readonly lastUsed = new Map<PooledEnvironment, number>();
  private useCounter = 0;
  /** Caps of the invocations admitted and not yet ended, created or warm, in bytes. */
  private busyCapBytes = 0;
  private admitted = 0;
  /** Invocations waiting for room, first come first served. */
  private readonly waiters: Waiter[] = [];
  private disposed = false;
  /** Bootstrapped environments of no function yet, oldest first (QuickJS only: a Python environment is made for its function). */
  private readonly spares: Environment[] = [];
  /** The cap of the latest cold start, in bytes: the one prepareSpares() builds for. */
  private spareCapBytes: number | undefined;
  /** The prepareSpares() in progress, if any (one at a time). */
  private preparing: Promise<number> | undefined;
  private readonly peak = { totalMemoryBytes: 0, reservedBytes: 0, environments: 0 };
  /** SnapStart snapshots by environment key, least recently used first; `false`: its init cannot be snapshotted. */
  private readonly snapshots = new Map<string, EnvironmentSnapshot | false>();

  constructor(private readonly options: EnvironmentPoolOptions) {}

  /**
   * Runs one invocation in a warm environment of `spec.environmentKey`, or a new one. One
   * invocation at a time per environment. Waits while the budget has no room (every busy
   * invocation ends by its timeout). Never throws: every outcome is in the report.
   */
  async invoke(spec: EnvironmentSpec, input: InvocationInput, capabilities: GuestCapabilities): Promise<InvocationReport> {
    return (await this.invokeWithin(spec, input, capabilities, Infinity)) as InvocationReport;
  }

  /**
   * As invoke(), but waits for room at most `maxWaitMs` (0: not at all); then answers a
   * PoolThrottle without running anything.
   */
  async invokeWithin(spec: EnvironmentSpec, input: InvocationInput, capabilities: GuestCapabilities, maxWaitMs: number): Promise<InvocationReport | PoolThrottle> {
    if (this.disposed) return { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: 0, logStreamName: '' };
    const capBytes = environmentCapBytes(spec);
    const admitted = await this.admit(spec.environmentKey, capBytes, maxWaitMs, !isPythonRuntime(spec.runtime));
    if (admitted === false) return { throttled: 'pool-budget' };
    let kept: PooledEnvironment | undefined;
    try {
      const ran = await this.run(spec, input, capabilities, admitted);
      kept = ran.keep;
      return ran.report;
    } finally {
      // Its cap uncharged before it counts idle at its size: the budget never counts both at once.
      this.busyCapBytes -= capBytes;
      this.admitted--;
      if (kept && this.disposed) kept.release();
      else if (kept) this.putIdle(kept);
      this.evictOverBudget();
    }
  }

  stats(): PoolStats {
    let environments = this.busy.size;
    let totalMemoryBytes = 0;
    for (const env of this.busy) totalMemoryBytes += env.memoryBytes;
    for (const list of this.idle.values()) {
      environments += list.length;
      for (const env of list) totalMemoryBytes += env.memoryBytes;
    }
    for (const env of this.spares) totalMemoryBytes += env.memoryBytes;
    const reservedBytes = this.busyCapBytes + this.idleBytes();
    let snapshots = 0;
    let snapshotBytes = 0;
    for (const snapshot of this.snapshots.values()) {
      if (!snapshot) continue;
      snapshots++;
      snapshotBytes += snapshot.bytes;
    }
    return { environments, busy: this.busy.size, waiting: this.waiters.length, totalMemoryBytes, reservedBytes, spares: this.spares.length, snapshots, snapshotBytes, peak: { ...this.peak } };
  }

  /**
   * Bootstraps spare environments up to `spareEnvironments`, for the cap of the latest cold start
   * (or `memoryLimitBytes`'s), while the budget has room for one more beside everything admitted.
   * Meant to run off the invocation's path (after the response: `waitUntil`); one call at a time
   * (a second call joins the first). Answers how many spares are ready. Never throws.
   */
  prepareSpares(memoryLimitBytes?: number): Promise<number> {
    if (memoryLimitBytes !== undefined) this.spareCapBytes = memoryCapBytes(memoryLimitBytes);
    this.preparing ??= this.buildSpares().finally(() => { this.preparing = undefined; });
    return this.preparing;
  }

  /** Disposes idle environments now and busy ones as their invocations end. */
  dispose(): void {
    this.disposed = true;
    for (const list of this.idle.values()) for (const env of list) env.release();
    this.idle.clear();
    this.lastUsed.clear();
    for (const env of this.spares.splice(0)) env.release();
    this.snapshots.clear();
    // Waiters see `disposed` at their next poll and go on (their environments are released after use).
  }

  /**
   * Runs an admitted invocation (its cap is already charged to the budget) in `reserved`, the warm
   * environment or spare taken for it at admission (already counted busy), or in a new one.
   * Answers the report and the environment to keep warm, if any (the caller makes it idle).
   */
  private async run(spec: EnvironmentSpec, input: InvocationInput, capabilities: GuestCapabilities, reserved: PooledEnvironment | undefined): Promise<{ report: InvocationReport; keep?: PooledEnvironment }> {
    if (this.disposed) {
      if (reserved) this.busy.delete(reserved);
      reserved?.release();
      return { report: { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: 0, logStreamName: '' } };
    }
    let environment = reserved;
    if (!environment || (environment instanceof Environment && !environment.isAssigned)) {
      const coldStartedAtMs = this.clock();
      try {
        const coldSpec = await withColdStartVariables(spec);
        if (isPythonRuntime(spec.runtime)) {
          environment = await createEnvironment(coldSpec, this.environmentOptions());
        } else {
          this.spareCapBytes = environment?.capBytes ?? memoryCapBytes(spec.memoryLimitBytes);
          const quickjs = (environment as Environment | undefined) ?? await Environment.bootstrap(spec.memoryLimitBytes, this.environmentOptions());
          environment = quickjs;
          quickjs.assign(coldSpec, coldStartedAtMs, this.coldStartMode(spec, quickjs));
        }
      } catch {
        if (reserved) {
          this.busy.delete(reserved);
          reserved.release();
        }
        return { report: { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: 0, logStreamName: '' } };
      }
    }
    this.busy.add(environment);
    this.notePeak();
    let report: InvocationReport;
    let retire = true;
    try {
      ({ report, retire } = await environment.invoke(input, capabilities));
    } catch {
      report = { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: environment.memoryBytes, logStreamName: environment.logStreamName };
    } finally {
      this.notePeak();
      this.busy.delete(environment);
    }
    if (environment instanceof Environment) this.keepSnapshot(spec, environment);
    if (retire || this.disposed || environment.memoryBytes > this.retainLimitBytes(environment) || this.tooOld(environment)) {
      environment.release();
      return { report };
    }
    return { report, keep: environment };
  }

  /** How a new environment of `spec` starts: restored from its key's snapshot, init then a snapshot, or init. */
  private coldStartMode(spec: EnvironmentSpec, environment: Environment): ColdStartMode {
    if (!spec.snapStart) return { kind: 'init' };
    const snapshot = this.snapshots.get(spec.environmentKey);
    if (snapshot === false) return { kind: 'init' };
    if (!snapshot) return { kind: 'capture' };
    // Most recently used last: the first ones are dropped first.
    this.snapshots.delete(spec.environmentKey);
    this.snapshots.set(spec.environmentKey, snapshot);
    if (snapshot.capBytes !== environment.capBytes || snapshot.memoryBytes !== environment.memoryBytes) return { kind: 'init' };
    return { kind: 'restore', snapshot };
  }

  /** Keeps the snapshot `environment` took after its init, if any, within the snapshot budget. */
  private keepSnapshot(spec: EnvironmentSpec, environment: Environment): void {
    if (!spec.snapStart || this.disposed) return;
    const snapshot = environment.takeSnapshotMade();
    if (!snapshot) {
      // Init ran and grew the memory (or failed): later cold starts run init too, never retrying a capture.
      if (!this.snapshots.has(spec.environmentKey) && environment.ranInit) this.snapshots.set(spec.environmentKey, false);
      return;
    }
    const budgetBytes = this.options.snapshotBudgetBytes ?? DEFAULT_SNAPSHOT_BUDGET_BYTES;
    if (snapshot.bytes > budgetBytes) return;
    this.snapshots.set(spec.environmentKey, snapshot);
    let total = this.stats().snapshotBytes;
    for (const [key, kept] of this.snapshots) {
      if (total <= budgetBytes) break;
      if (!kept) continue;
      this.snapshots.delete(key);
      total -= kept.bytes;
    }
  }

  private async buildSpares(): Promise<number> {
    const target = this.options.spareEnvironments ?? 0;
    for (;;) {
      const capBytes = this.spareCapBytes;
      if (this.disposed || capBytes === undefined) return this.spares.length;
      // Spares of another cap are no use to the latest cold starts: they make room first.
      const stale = this.spares.findIndex((env) => env.capBytes !== capBytes);
      if (stale >= 0) {
        this.spares.splice(stale, 1)[0].release();
        continue;
      }
      if (this.spares.length >= target || this.waiters.length > 0) return this.spares.length;
      // A spare serves any function's next cold start, which would evict the least recently used
      // idle environment anyway: that one makes room now.
      this.evictIdleOverBudget(MIN_ENVIRONMENT_MEMORY_BYTES);
      if (this.busyCapBytes + this.idleBytes() + MIN_ENVIRONMENT_MEMORY_BYTES > this.options.budgetBytes) return this.spares.length;
      try {
        const spare = await Environment.bootstrap(capBytes, this.environmentOptions());
        if (this.disposed) spare.release();
        else this.spares.push(spare);
        this.notePeak();
      } catch {
        return this.spares.length;
      }
    }
  }

  private environmentOptions() {
    return { clock: this.options.clock, pauseGuests: this.options.pauseGuests };
  }

  private clock(): number {
    return (this.options.clock ?? Date.now)();
  }

  /**
   * Charges `capBytes` to the budget, now or once room is made; answers false when `maxWaitMs`
   * passed first, else the environment taken for the invocation (a warm one of `key`, or a spare
   * of its cap: its size then moves from idle to the cap charged, never counted twice), or
   * undefined when a new one must be made. Room: idle environments are evicted LRU, then spares;
   * an invocation alone in the pool is always admitted.
   */
  private async admit(key: string, capBytes: number, maxWaitMs: number, spareUsable: boolean): Promise<PooledEnvironment | undefined | false> {
    if (this.waiters.length === 0) {
      const admitted = this.tryAdmit(key, capBytes, spareUsable);
      if (admitted !== false) return admitted;
    }
    if (maxWaitMs <= 0) return false;
    const waiter: Waiter = { capBytes };
    this.waiters.push(waiter);
    const startedAtMs = Date.now();
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, ADMIT_POLL_MS));
        if (this.disposed) {
          this.charge(capBytes);
          return undefined;
        }
        // First come, first served: only the head of the line may take room.
        if (this.waiters[0] === waiter) {
          const admitted = this.tryAdmit(key, capBytes, spareUsable);
          if (admitted !== false) return admitted;
        }
        if (Date.now() - startedAtMs >= maxWaitMs) return false;
      }
    } finally {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
    }
  }

  /**
   * Takes the environment the invocation would use (warm of `key`, else a spare of `capBytes`),
   * evicts until `capBytes` fits, and charges it; or, without room, puts that environment back and
   * answers false.
   */
  private tryAdmit(key: string, capBytes: number, spareUsable: boolean): PooledEnvironment | undefined | false {
    const lastUse = this.idle.get(key)?.at(-1);
    const lastUseCounter = lastUse && this.lastUsed.get(lastUse);
    const taken = this.takeIdle(key) ?? (spareUsable ? this.takeSpare(capBytes) : undefined);
    this.evictOverBudget(capBytes);
    if (this.admitted > 0 && this.busyCapBytes + this.idleBytes() + capBytes > this.options.budgetBytes) {
      if (taken instanceof Environment && !taken.isAssigned) this.spares.unshift(taken);
      else if (taken) this.returnIdle(taken, taken === lastUse ? lastUseCounter : undefined);
      return false;
    }
    if (taken) this.busy.add(taken);
    this.charge(capBytes);
    return taken;
  }

  private takeSpare(capBytes: number): Environment | undefined {
    const index = this.spares.findIndex((env) => env.capBytes === capBytes);
    return index < 0 ? undefined : this.spares.splice(index, 1)[0];
  }

  private charge(capBytes: number): void {
    this.busyCapBytes += capBytes;
    this.admitted++;
    this.notePeak();
  }

  private notePeak(): void {
    const { totalMemoryBytes, reservedBytes, environments, spares } = this.stats();
    this.peak.totalMemoryBytes = Math.max(this.peak.totalMemoryBytes, totalMemoryBytes);
    this.peak.reservedBytes = Math.max(this.peak.reservedBytes, reservedBytes);
    this.peak.environments = Math.max(this.peak.environments, environments + spares);
  }

  /** Idle environments and spares, at their size, in bytes. */
  private idleBytes(): number {
    let bytes = 0;
    for (const env of this.lastUsed.keys()) bytes += env.memoryBytes;
    for (const env of this.spares) bytes += env.memoryBytes;
    return bytes;
  }

  private retainLimitBytes(environment: PooledEnvironment): number {
    return this.options.maxRetainedEnvironmentBytes ?? Math.max(MIN_ENVIRONMENT_MEMORY_BYTES, Math.floor(environment.capBytes * DEFAULT_RETAINED_SHARE_OF_CAP));
  }

  /** Whether `environment` is past maxEnvironmentAgeMs (and so is never lent again). */
  private tooOld(environment: PooledEnvironment): boolean {
    const maxAgeMs = this.options.maxEnvironmentAgeMs;
    return maxAgeMs !== undefined && this.clock() - environment.createdAtMs >= maxAgeMs;
  }

  private takeIdle(key: string): PooledEnvironment | undefined {
    const list = this.idle.get(key);
    let environment = list?.pop(); // the most recently used is the warmest
    // Those past their age are retired here: the newest of a key is the last to grow too old.
    while (environment && this.tooOld(environment)) {
      this.lastUsed.delete(environment);
      environment.release();
      environment = list?.pop();
    }
    if (list && list.length === 0) this.idle.delete(key);
    if (environment) this.lastUsed.delete(environment);
    return environment;
  }

  private putIdle(environment: PooledEnvironment): void {
    this.returnIdle(environment);
  }

  /** Makes `environment` idle again, as of `useCounter` (its former last use) or now. */
  private returnIdle(environment: PooledEnvironment, useCounter?: number): void {
    const key = environment.spec.environmentKey;
    const list = this.idle.get(key) ?? [];
    list.push(environment);
    this.idle.set(key, list);
    this.lastUsed.set(environment, useCounter ?? ++this.useCounter);
  }

  /**
   * Evicts while the charged total plus `extraBytes` is over the budget: idle environments first,
   * least recently used first, then spares (each one makes a cold start fast). An environment
   * taken for an invocation is neither: it left the idle lists and the spares at admission.
   */
  private evictOverBudget(extraBytes = 0): void {
    this.evictIdleOverBudget(extraBytes);
    let total = this.busyCapBytes + this.idleBytes() + extraBytes;
    while (total > this.options.budgetBytes && this.spares.length > 0) {
      const spare = this.spares.shift()!;
      total -= spare.memoryBytes;
      spare.release();
    }
  }

  /** Evicts idle environments (never spares), least recently used first. */
  private evictIdleOverBudget(extraBytes: number): void {
    let total = this.busyCapBytes + this.idleBytes() + extraBytes;
    while (total > this.options.budgetBytes && this.lastUsed.size > 0) {
      let oldest: PooledEnvironment | undefined;
      let oldestUse = Infinity;
      for (const [env, use] of this.lastUsed) {
        if (use < oldestUse) {
          oldest = env;
          oldestUse = use;
        }
      }
      if (!oldest) break;
      const list = this.idle.get(oldest.spec.environmentKey) ?? [];
      list.splice(list.indexOf(oldest), 1);
      if (list.length === 0) this.idle.delete(oldest.spec.environmentKey);
      this.lastUsed.delete(oldest);
      total -= oldest.memoryBytes;
      oldest.release();
    }
  }
}

/** `spec` with its cold-start variables made and merged (the function itself not kept). */
async function withColdStartVariables(spec: EnvironmentSpec): Promise<EnvironmentSpec> {
  const { coldStartVariables, ...rest } = spec;
  if (!coldStartVariables) return spec;
  return { ...rest, environmentVariables: { ...spec.environmentVariables, ...(await coldStartVariables()) } };
}
