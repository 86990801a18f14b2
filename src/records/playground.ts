// Record types of the PlaygroundRegistry (objects/playground-registry.ts): live sandboxes and the
// refusals of sandbox creation.

/** Which end comes first: FAASBOX_PLAYGROUND_IDLE_SECONDS after the last activity, or FAASBOX_PLAYGROUND_MAX_SECONDS after creation. */
export type SandboxEnd = 'idle' | 'max';

/** A live sandbox as the registry knows it; times in epoch milliseconds. */
export interface SandboxRecord {
  accountId: string;
  accessKeyId: string;
  createdMs: number;
  lastActiveMs: number;
  endsMs: number;
  endsBecause: SandboxEnd;
}

/** The creation limit a request hit, in the order they are checked (docs/PLAYGROUND.md). */
export type CreationLimit = 'live-per-address' | 'daily-per-address' | 'burst-per-address' | 'live-max';

/** The creation limits in force (FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS, _DAILY_PER_ADDRESS, _BURST_PER_ADDRESS, _LIVE_MAX). */
export interface CreationLimits {
  livePerAddress: number;
  dailyPerAddress: number;
  burstPerAddress: number;
  liveMax: number;
}

/** A creation the registry refused: the proof was used before, or a limit with when to retry (seconds). */
export type AdmissionRefusal =
  | { ok: false; error: 'proof-used' }
  | { ok: false; error: 'limit'; limit: CreationLimit; allowed: number; retryAfterSeconds: number };
