// The environment pool: owns every environment of the isolate, warm or busy, and is the only
// place that creates, reuses, evicts and retires them.
import type { EnvironmentSpec, GuestCapabilities, InvocationInput, InvocationReport } from '../contract';
import { Environment, type Clock } from './environment';
import { DEFAULT_RETAINED_SHARE_OF_CAP, MIN_ENVIRONMENT_MEMORY_BYTES } from './limits';
import { runtimeExit } from './outcomes';

export interface EnvironmentPoolOptions {
  /** WASM memory all environments may hold together before idle ones are evicted (LRU), in bytes. */
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
}

export interface PoolStats {
  environments: number;
  busy: number;
  totalMemoryBytes: number;
}

export class EnvironmentPool {
  /** Idle environments by key; each list is ordered least recently used first. */
  private readonly idle = new Map<string, Environment[]>();
  private readonly busy = new Set<Environment>();
  /** Last use of each idle environment, for LRU eviction across keys. */
  private readonly lastUsed = new Map<Environment, number>();
  private useCounter = 0;
  private disposed = false;

  constructor(private readonly options: EnvironmentPoolOptions) {}

  /**
   * Runs one invocation in a warm environment of `spec.environmentKey`, or a new one. One
   * invocation at a time per environment. Never throws: every outcome is in the report.
   */
  async invoke(spec: EnvironmentSpec, input: InvocationInput, capabilities: GuestCapabilities): Promise<InvocationReport> {
    if (this.disposed) return { result: runtimeExit(input.requestId), console: [], durationMs: 0, maxMemoryUsedBytes: 0, logStreamName: '' };
    let environment = this.takeIdle(spec.environmentKey);
    if (!environment) {
      try {
        environment = await Environment.create(spec, { clock: this.options.clock, pauseGuests: this.options.pauseGuests });
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
    if (retire || this.disposed || environment.memoryBytes > this.retainLimitBytes(environment)) {
      environment.release();
    } else {
      this.putIdle(environment);
    }
    this.evictOverBudget();
    return report;
  }

  stats(): PoolStats {
    let environments = this.busy.size;
    let totalMemoryBytes = 0;
    for (const env of this.busy) totalMemoryBytes += env.memoryBytes;
    for (const list of this.idle.values()) {
      environments += list.length;
      for (const env of list) totalMemoryBytes += env.memoryBytes;
    }
    return { environments, busy: this.busy.size, totalMemoryBytes };
  }

  /** Disposes idle environments now and busy ones as their invocations end. */
  dispose(): void {
    this.disposed = true;
    for (const list of this.idle.values()) for (const env of list) env.release();
    this.idle.clear();
    this.lastUsed.clear();
  }

  private retainLimitBytes(environment: Environment): number {
    return this.options.maxRetainedEnvironmentBytes ?? Math.max(MIN_ENVIRONMENT_MEMORY_BYTES, Math.floor(environment.capBytes * DEFAULT_RETAINED_SHARE_OF_CAP));
  }

  private takeIdle(key: string): Environment | undefined {
    const list = this.idle.get(key);
    const environment = list?.pop(); // the most recently used is the warmest
    if (list && list.length === 0) this.idle.delete(key);
    if (environment) this.lastUsed.delete(environment);
    return environment;
  }

  private putIdle(environment: Environment): void {
    const key = environment.spec.environmentKey;
    const list = this.idle.get(key) ?? [];
    list.push(environment);
    this.idle.set(key, list);
    this.lastUsed.set(environment, ++this.useCounter);
  }

  /** Evicts idle environments, least recently used first, while the pool is over its budget. */
  private evictOverBudget(): void {
    let total = this.stats().totalMemoryBytes;
    while (total > this.options.budgetBytes && this.lastUsed.size > 0) {
      let oldest: Environment | undefined;
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
