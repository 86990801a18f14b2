// A queue's settable attributes: names, defaults and ranges as SQS documents them, parsed from
// the string map CreateQueue and SetQueueAttributes take, including the RedrivePolicy (the
// queue's dead-letter queue). Anything else (FIFO, policies, KMS) is refused.
import type { QueueFailure } from './errors';
import { isQueueArn } from './names';
import type { QueueSettings, RedrivePolicy } from '../records/queues';

export type { QueueSettings, RedrivePolicy } from '../records/queues';

type NumericSetting = Exclude<keyof QueueSettings, 'redrivePolicy'>;

/** Attribute name -> setting, default and accepted range (inclusive). */
const SETTINGS: Record<string, { key: NumericSetting; default: number; min: number; max: number }> = {
  VisibilityTimeout: { key: 'visibilityTimeoutSeconds', default: 30, min: 0, max: 43_200 },
  MessageRetentionPeriod: { key: 'messageRetentionSeconds', default: 345_600, min: 60, max: 1_209_600 },
  DelaySeconds: { key: 'delaySeconds', default: 0, min: 0, max: 900 },
  ReceiveMessageWaitTimeSeconds: { key: 'receiveWaitTimeSeconds', default: 0, min: 0, max: 20 },
  MaximumMessageSize: { key: 'maximumMessageBytes', default: 262_144, min: 1_024, max: 262_144 },
};

export const MAX_RECEIVE_COUNT_MAX = 1000;

/** The settable attribute names, in the order GetQueueAttributes lists them. */
export const SETTING_NAMES = [...Object.keys(SETTINGS), 'RedrivePolicy'];

/** Attribute values as SQS returns them (strings), for the given settings. */
export function settingsAttributes(settings: QueueSettings): Record<string, string> {
  const attributes = Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, String(settings[s.key])]));
  if (settings.redrivePolicy) attributes.RedrivePolicy = JSON.stringify(settings.redrivePolicy);
  return attributes;
}

/** The default settings of a new queue. */
export function defaultSettings(): QueueSettings {
  return Object.fromEntries(Object.values(SETTINGS).map((s) => [s.key, s.default])) as unknown as QueueSettings;
}

/**
 * Parses CreateQueue's or SetQueueAttributes' Attributes over `base` (the defaults, or the
 * queue's current settings); a failure names the offending attribute. An empty RedrivePolicy
 * removes it.
 */
export function parseSettings(attributes: Record<string, unknown>, base: QueueSettings = defaultSettings()): { ok: true; value: QueueSettings } | QueueFailure {
  const settings: QueueSettings = { ...base };
  for (const [name, raw] of Object.entries(attributes)) {
    if (name === 'FifoQueue' || name === 'ContentBasedDeduplication') {
      if (name === 'FifoQueue' && String(raw) === 'false') continue;
      return { ok: false, error: 'UnsupportedOperation', message: 'FIFO queues are not supported: use a standard queue.' };
    }
    if (name === 'RedrivePolicy') {
      const policy = parseRedrivePolicy(String(raw));
      if (policy !== undefined && 'ok' in policy) return policy;
      settings.redrivePolicy = policy;
      continue;
    }
    const setting = SETTINGS[name];
    if (!setting) return { ok: false, error: 'InvalidAttributeName', message: `Unknown Attribute ${name}.` };
    const text = String(raw);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < setting.min || value > setting.max) {
      return { ok: false, error: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}. Reason: must be an integer from ${setting.min} to ${setting.max}.` };
    }
    settings[setting.key] = value;
  }
  if (!settings.redrivePolicy) delete settings.redrivePolicy;
  return { ok: true, value: settings };
}

/** The first attribute whose value differs between two settings, or undefined. */
export function differingAttribute(a: QueueSettings, b: QueueSettings): string | undefined {
  const left = settingsAttributes(a);
  const right = settingsAttributes(b);
  return SETTING_NAMES.find((name) => left[name] !== right[name]);
}

/** RedrivePolicy's JSON: `{"deadLetterTargetArn": "<queue arn>", "maxReceiveCount": 1-1000}` (number or string). */
function parseRedrivePolicy(text: string): RedrivePolicy | undefined | QueueFailure {
  if (text === '') return undefined;
  const invalid = (reason: string): QueueFailure => ({ ok: false, error: 'InvalidParameterValue', message: `Value ${text} for parameter RedrivePolicy is invalid. Reason: ${reason}` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid('Redrive policy is not a valid JSON map.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('Redrive policy is not a valid JSON map.');
  const { deadLetterTargetArn, maxReceiveCount } = value as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string' || !isQueueArn(deadLetterTargetArn)) return invalid('Invalid value for deadLetterTargetArn.');
  const count = typeof maxReceiveCount === 'string' && /^\d+$/.test(maxReceiveCount) ? Number(maxReceiveCount) : maxReceiveCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_RECEIVE_COUNT_MAX) {
    return invalid(`Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from 1 to ${MAX_RECEIVE_COUNT_MAX} both inclusive.`);
  }
  return { deadLetterTargetArn, maxReceiveCount: count };
}
