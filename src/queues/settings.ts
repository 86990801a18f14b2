// A queue's settable attributes: names, defaults and ranges as SQS documents them, parsed from
// the string map CreateQueue takes. Anything else (FIFO, redrive, policies, KMS) is refused.
import type { QueueFailure } from './errors';

/** A standard queue's settings, each with its unit. */
export interface QueueSettings {
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  delaySeconds: number;
  receiveWaitTimeSeconds: number;
  maximumMessageBytes: number;
}

/** Attribute name -> setting, default and accepted range (inclusive). */
const SETTINGS: Record<string, { key: keyof QueueSettings; default: number; min: number; max: number }> = {
  VisibilityTimeout: { key: 'visibilityTimeoutSeconds', default: 30, min: 0, max: 43_200 },
  MessageRetentionPeriod: { key: 'messageRetentionSeconds', default: 345_600, min: 60, max: 1_209_600 },
  DelaySeconds: { key: 'delaySeconds', default: 0, min: 0, max: 900 },
  ReceiveMessageWaitTimeSeconds: { key: 'receiveWaitTimeSeconds', default: 0, min: 0, max: 20 },
  MaximumMessageSize: { key: 'maximumMessageBytes', default: 262_144, min: 1_024, max: 262_144 },
};

/** The settable attribute names, in the order GetQueueAttributes lists them. */
export const SETTING_NAMES = Object.keys(SETTINGS);

/** Attribute values as SQS returns them (strings), for the given settings. */
export function settingsAttributes(settings: QueueSettings): Record<string, string> {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, String(settings[SETTINGS[name].key])]));
}

/** Parses CreateQueue's Attributes over the defaults; a failure names the offending attribute. */
export function parseSettings(attributes: Record<string, unknown>): { ok: true; value: QueueSettings } | QueueFailure {
  const settings = Object.fromEntries(Object.values(SETTINGS).map((s) => [s.key, s.default])) as unknown as QueueSettings;
  for (const [name, raw] of Object.entries(attributes)) {
    if (name === 'FifoQueue' || name === 'ContentBasedDeduplication') {
      if (name === 'FifoQueue' && String(raw) === 'false') continue;
      return { ok: false, error: 'UnsupportedOperation', message: 'FIFO queues are not supported: use a standard queue.' };
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
  return { ok: true, value: settings };
}
