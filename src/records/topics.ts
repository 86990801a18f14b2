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
export type SubscriptionProtocol = 'lambda' | 'sqs' | 'http' | 'https';

/**
 * A subscription of a topic: lambda and sqs endpoints of the topic's account are confirmed at
 * once; http and https ones wait for ConfirmSubscription with their `confirmation` token.
 */
export interface SubscriptionRecord {
  /** `arn:aws:sns:<region>:<account>:<topic>:<uuid>`. */
  arn: string;
  topicName: string;
  protocol: SubscriptionProtocol;
  /** A function ARN (lambda), a queue ARN (sqs) or a URL (http, https). */
  endpoint: string;
  /** Settable attributes as given (FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy). */
  attributes: Record<string, string>;
  /** The principal that subscribed it (SubscriptionPrincipal). */
  principalArn: string;
  /** http and https: the confirmation token, whether it is still pending, and how it was confirmed. */
  confirmation?: SubscriptionConfirmation;
  /** http and https: the faasbox origin Subscribe was called on, for SubscribeURL and UnsubscribeURL. */
  linkOrigin?: string;
}

/** The state of an http(s) subscription's confirmation. */
export interface SubscriptionConfirmation {
  token: string;
  pending: boolean;
  /** Confirmed by a signed ConfirmSubscription (ConfirmationWasAuthenticated). */
  authenticated: boolean;
  /** AuthenticateOnUnsubscribe=true at confirmation: the public UnsubscribeURL is refused. */
  authenticateOnUnsubscribe: boolean;
}

/** One page of a listing and the token of the next, if any. */
export interface TopicPage<T> {
  items: T[];
  nextToken?: string;
}

/** Topics and subscriptions per listing page, as SNS pages them. */
export const TOPICS_PAGE_SIZE = 100;
