// SNS's delivery policy for HTTP(S) endpoints: how many times a failed delivery is retried and
// how long each retry waits. The subscription's DeliveryPolicy (`healthyRetryPolicy`) wins over
// the topic's (`http.defaultHealthyRetryPolicy`), and SNS's default (3 retries, 20 seconds apart)
// applies to what neither sets. Pure: no I/O.

/** SNS's healthy retry policy fields (seconds and counts). */
interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
}

/** SNS's default for http and https (its EffectiveDeliveryPolicy). */
const DEFAULT_POLICY: RetryPolicy = { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0 };

/** SNS's ceiling on numRetries, and on a delay target (seconds). */
const MAX_RETRIES = 100;
const MAX_DELAY_SECONDS = 3600;

/**
 * The wait in seconds before each retry, in order (its length is the number of retries): first
 * the immediate retries, then those at the minimum delay, then the backoff phase from the minimum
 * to the maximum delay (linear for every backoffFunction), then those at the maximum delay.
 * @example retryDelays(undefined, undefined) // [20, 20, 20]
 * @example retryDelays('{"healthyRetryPolicy":{"numRetries":3,"numNoDelayRetries":3}}', undefined) // [0, 0, 0]
 */
export function retryDelays(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): number[] {
  const policy = { ...DEFAULT_POLICY, ...fields(parsed(topicPolicy)?.http, 'defaultHealthyRetryPolicy'), ...fields(parsed(subscriptionPolicy), 'healthyRetryPolicy') };
  const retries = clamp(policy.numRetries, 0, MAX_RETRIES);
  const min = clamp(policy.minDelayTarget, 0, MAX_DELAY_SECONDS);
  const max = clamp(Math.max(policy.maxDelayTarget, min), 0, MAX_DELAY_SECONDS);
  const noDelay = clamp(policy.numNoDelayRetries, 0, retries);
  const atMin = clamp(policy.numMinDelayRetries, 0, retries - noDelay);
  const atMax = clamp(policy.numMaxDelayRetries, 0, retries - noDelay - atMin);
  const backoff = retries - noDelay - atMin - atMax;
  return [
    ...Array<number>(noDelay).fill(0),
    ...Array<number>(atMin).fill(min),
    ...Array.from({ length: backoff }, (_, i) => Math.round(min + ((max - min) * (i + 1)) / backoff)),
    ...Array<number>(atMax).fill(max),
  ];
}

const BACKOFF_FUNCTIONS = ['linear', 'arithmetic', 'geometric', 'exponential'];

/**
 * What is wrong with a DeliveryPolicy's retry policy (the subscription's `healthyRetryPolicy`,
 * `where` 'subscription', or the topic's `http.defaultHealthyRetryPolicy`, 'topic'), or undefined.
 * @example deliveryPolicyProblem('{"healthyRetryPolicy":{"numRetries":500}}', 'subscription') // 'healthyRetryPolicy.numRetries must be an integer from 0 to 100'
 */
export function deliveryPolicyProblem(text: string, where: 'subscription' | 'topic'): string | undefined {
  const document = parsed(text);
  if (!document || Array.isArray(document)) return 'Invalid JSON';
  const container = where === 'topic' ? document.http : document;
  if (where === 'topic' && container === undefined) return undefined;
  const name = where === 'topic' ? 'http.defaultHealthyRetryPolicy' : 'healthyRetryPolicy';
  const policy = typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[where === 'topic' ? 'defaultHealthyRetryPolicy' : 'healthyRetryPolicy'] : undefined;
  if (policy === undefined) return undefined;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return `${name} must be an object`;
  const values = policy as Record<string, unknown>;
  for (const [field, value] of Object.entries(values)) {
    if (field === 'backoffFunction') {
      if (typeof value !== 'string' || !BACKOFF_FUNCTIONS.includes(value)) return `${name}.backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(', ')}`;
      continue;
    }
    if (!(field in DEFAULT_POLICY)) return `${name}.${field} is not a retry policy field`;
    const high = field.endsWith('DelayTarget') ? MAX_DELAY_SECONDS : MAX_RETRIES;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > high) return `${name}.${field} must be an integer from 0 to ${high}`;
  }
  const policyOf = { ...DEFAULT_POLICY, ...(values as Partial<RetryPolicy>) };
  if (policyOf.minDelayTarget > policyOf.maxDelayTarget) return `${name}.minDelayTarget must not be greater than maxDelayTarget`;
  if (policyOf.numNoDelayRetries + policyOf.numMinDelayRetries + policyOf.numMaxDelayRetries > policyOf.numRetries) {
    return `${name}: numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries together must not exceed numRetries`;
  }
  return undefined;
}

function parsed(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The numeric retry fields of `container[key]`, those that are numbers. */
function fields(container: unknown, key: string): Partial<RetryPolicy> {
  const policy = typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[key] : undefined;
  if (typeof policy !== 'object' || policy === null) return {};
  return Object.fromEntries(Object.entries(policy).filter(([name, value]) => name in DEFAULT_POLICY && typeof value === 'number' && Number.isFinite(value)));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(Math.floor(value), low), high);
}
