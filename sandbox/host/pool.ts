// The environment pool: owns every environment of the isolate, warm or busy, and is the only
// place that creates, reuses, evicts and retires them, and that admits invocations within its
// memory budget (a busy environment counts at its cap: it may grow to it at any moment).
import type { EnvironmentSpec, GuestCapabilities, InvocationInput, InvocationReport } from '../contract';
import type { Clock } from './environment';
import { createEnvironment, environmentCapBytes, type PooledEnvironment } from './environments';
import { DEFAULT_RETAINED_SHARE_OF_CAP, MIN_ENVIRONMENT_MEMORY_BYTES } from './limits';
import { runtimeExit } from './outcomes';

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
}

export interface PoolStats {
  environments: number;
  busy: number;
  /** Invocations waiting for room in the budget. */
  waiting: number;
  /** Current WASM memory of every environment, busy and idle, in bytes. */
  totalMemoryBytes: number;
  /** What the budget is charged: busy environments at their cap, idle ones at their size, in bytes. */
  reservedBytes: number;
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
    if (!(await this.admit(spec.environmentKey, capBytes, maxWaitMs))) return { throttled: 'pool-budget' };
    try {
      return await this.run(spec, input, capabilities);
    } finally {
      this.busyCapBytes -= capBytes;
      this.admitted--;
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
    return { environments, busy: this.busy.size, waiting: this.waiters.length, totalMemoryBytes, reservedBytes: this.busyCapBytes + this.idleBytes() };
  }

  /** Disposes idle environments now and busy ones as their invocations end. */
  dispose(): void {
    this.disposed = true;
    for (const list of this.idle.values()) for (const env of list) env.release();
    this.idle.clear();
    this.lastUsed.clear();
    // Waiters see `disposed` at their next poll and go on (their environments are released after use).
  }

  /** Runs an admitted invocation (its cap is already charged to the budget). */
  private async run(spec: EnvironmentSpec, input: InvocationInput, capabilities: GuestCapabilities): Promise<InvocationReport> {
    if (this.disposed) return { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: 0, logStreamName: '' };
    let environment = this.takeIdle(spec.environmentKey);
    if (!environment) {
      try {
        environment = await createEnvironment(await withColdStartVariables(spec), { clock: this.options.clock, pauseGuests: this.options.pauseGuests });
      } catch {
        return { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: 0, logStreamName: '' };
      }
    }
    this.busy.add(environment);
    let report: InvocationReport;
    let retire = true;
    try {
      ({ report, retire } = await environment.invoke(input, capabilities));
    } catch {
      report = { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: environment.memoryBytes, logStreamName: environment.logStreamName };
    } finally {
      this.busy.delete(environment);
    }
    if (retire || this.disposed || environment.memoryBytes > this.retainLimitBytes(environment) || this.tooOld(environment)) {
      environment.release();
    } else {
      this.putIdle(environment);
    }
    return report;
  }

  /**
   * Charges `capBytes` to the budget, now or once room is made; answers false when `maxWaitMs`
   * passed first. Room: idle environments are evicted LRU (a warm one of `key` is kept for last,
   * it is about to be reused); an invocation alone in the pool is always admitted.
   */
  private async admit(key: string, capBytes: number, maxWaitMs: number): Promise<boolean> {
    if (this.waiters.length === 0 && this.makeRoom(key, capBytes)) {
      this.charge(capBytes);
      return true;
    }
    if (maxWaitMs <= 0) return false;
    const waiter: Waiter = { capBytes };
    this.waiters.push(waiter);
    const startedAtMs = Date.now();
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, ADMIT_POLL_MS));
        // First come, first served: only the head of the line may take room.
        if (this.disposed || (this.waiters[0] === waiter && this.makeRoom(undefined, capBytes))) {
          this.charge(capBytes);
          return true;
        }
        if (Date.now() - startedAtMs >= maxWaitMs) return false;
      }
    } finally {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
    }
  }

  private charge(capBytes: number): void {
    this.busyCapBytes += capBytes;
    this.admitted++;
  }

  /** Evicts idle environments until `capBytes` more fits in the budget; answers whether it does. */
  private makeRoom(key: string | undefined, capBytes: number): boolean {
    if (this.admitted === 0) {
      this.evictOverBudget(capBytes, key);
      return true;
    }
    this.evictOverBudget(capBytes, key);
    return this.busyCapBytes + this.idleBytes() + capBytes <= this.options.budgetBytes;
  }

  private idleBytes(): number {
    let bytes = 0;
    for (const env of this.lastUsed.keys()) bytes += env.memoryBytes;
    return bytes;
  }

  private retainLimitBytes(environment: PooledEnvironment): number {
    return this.options.maxRetainedEnvironmentBytes ?? Math.max(MIN_ENVIRONMENT_MEMORY_BYTES, Math.floor(environment.capBytes * DEFAULT_RETAINED_SHARE_OF_CAP));
  }

  /** Whether `environment` is past maxEnvironmentAgeMs (and so is never lent again). */
  private tooOld(environment: PooledEnvironment): boolean {
    const maxAgeMs = this.options.maxEnvironmentAgeMs;
    return maxAgeMs !== undefined && (this.options.clock ?? Date.now)() - environment.createdAtMs >= maxAgeMs;
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
    const key = environment.spec.environmentKey;
    const list = this.idle.get(key) ?? [];
    list.push(environment);
    this.idle.set(key, list);
    this.lastUsed.set(environment, ++this.useCounter);
  }

  /**
   * Evicts idle environments, least recently used first (those of `keepKey` last), while the
   * charged total plus `extraBytes` is over the budget.
   */
  private evictOverBudget(extraBytes = 0, keepKey?: string): void {
    let total = this.busyCapBytes + this.idleBytes() + extraBytes;
    while (total > this.options.budgetBytes && this.lastUsed.size > 0) {
      let oldest: PooledEnvironment | undefined;
      let oldestUse = Infinity;
      for (const [env, rawUse] of this.lastUsed) {
        const use = env.spec.environmentKey === keepKey ? rawUse + Number.MAX_SAFE_INTEGER / 2 : rawUse;
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
