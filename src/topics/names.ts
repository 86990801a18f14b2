// SNS names and ARNs: topic names as SNS validates them, topic and subscription ARNs. A leaf.

/** A topic name: 1 to 256 letters, digits, `-` and `_` (`.fifo` topics are not supported). */
export const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;
const SUBSCRIPTION_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}):([0-9a-f-]{36})$/;

/** Where a topic is. */
export interface TopicAddress {
  region: string;
  accountId: string;
  name: string;
}

export function topicArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

/** The region, account and name of a topic ARN; undefined when `arn` is not one. */
export function parseTopicArn(arn: string): TopicAddress | undefined {
  const match = TOPIC_ARN.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}

export function isTopicArn(arn: string): boolean {
  return TOPIC_ARN.test(arn);
}

/** The topic of a subscription ARN (`<topic arn>:<uuid>`); undefined when `arn` is not one. */
export function parseSubscriptionArn(arn: string): TopicAddress | undefined {
  const match = SUBSCRIPTION_ARN.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}
