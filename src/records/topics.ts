// Record types of the TopicStore (src/objects/topic-store.ts): SNS topics and their subscriptions,
// as the store keeps them and the SNS API (src/api/sns.ts) and delivery (src/topics/) read them. A leaf.

/** A topic: its name (the last part of its ARN), its settable attributes and tags. */
export interface TopicRecord {
  name: string;
  /** Settable attributes as given (DisplayName, Policy, DeliveryPolicy, ...). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAtMs: number;
}

/** The protocols a faasbox subscription can have. */
export type SubscriptionProtocol = 'lambda' | 'sqs';

/** A subscription of a topic: confirmed at once (lambda and sqs endpoints of the topic's account need no confirmation). */
export interface SubscriptionRecord {
  /** `arn:aws:sns:<region>:<account>:<topic>:<uuid>`. */
  arn: string;
  topicName: string;
  protocol: SubscriptionProtocol;
  /** A function ARN (lambda) or a queue ARN (sqs). */
  endpoint: string;
  /** Settable attributes as given (FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy). */
  attributes: Record<string, string>;
  /** The principal that subscribed it (SubscriptionPrincipal). */
  principalArn: string;
}

/** One page of a listing and the token of the next, if any. */
export interface TopicPage<T> {
  items: T[];
  nextToken?: string;
}

/** Topics and subscriptions per listing page, as SNS pages them. */
export const TOPICS_PAGE_SIZE = 100;
