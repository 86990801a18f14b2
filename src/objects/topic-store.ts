// TopicStore: one object per account, holding its SNS topics and their subscriptions. The SNS API
// (src/api/sns.ts) creates, changes and lists them; Publish (src/topics/publish.ts) reads a topic's
// subscriptions. Everything is persisted at once; nothing is cached in memory.
import { DurableObject } from 'cloudflare:workers';
import { TOPICS_PAGE_SIZE, type SubscriptionProtocol, type SubscriptionRecord, type TopicPage, type TopicRecord } from '../records/topics';
import { jsonColumn, type Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const SCHEMA = defineSchema({
  version: 1,
  description: 'topics and subscriptions',
  up: `
    CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS subscriptions (
      arn TEXT PRIMARY KEY, topic_name TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT NOT NULL, record TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS subscriptions_by_topic ON subscriptions (topic_name, arn);`,
});

const topicColumn = jsonColumn<TopicRecord>('record');
const subscriptionColumn = jsonColumn<SubscriptionRecord>('record');

/** Why a topic was not created: one of that name exists with other attributes or tags. */
export type CreateTopicFailure = 'different-attributes' | 'different-tags' | 'limit';

export class TopicStore extends DurableObject<Env> {
  private readonly db: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /**
   * Creates topic `name`, or answers the existing one when its attributes and tags are the same
   * (CreateTopic is idempotent); at most `maxTopics` topics per account.
   */
  createTopic(name: string, attributes: Record<string, string>, tags: Record<string, string>, maxTopics: number): { ok: true; value: TopicRecord } | { ok: false; error: CreateTopicFailure } {
    const existing = this.getTopic(name);
    if (existing) {
      const sameAttributes = Object.entries(attributes).every(([key, value]) => existing.attributes[key] === value);
      if (!sameAttributes) return { ok: false, error: 'different-attributes' };
      const sameTags = Object.entries(tags).every(([key, value]) => existing.tags[key] === value);
      if (!sameTags) return { ok: false, error: 'different-tags' };
      return { ok: true, value: existing };
    }
    if (this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM topics').n >= maxTopics) return { ok: false, error: 'limit' };
    const record: TopicRecord = { name, attributes, tags, createdAtMs: Date.now() };
    this.db.run('INSERT INTO topics (name, record) VALUES (?, ?)', name, topicColumn.encode(record));
    return { ok: true, value: record };
  }

  getTopic(name: string): TopicRecord | undefined {
    return topicColumn.one(this.db, 'SELECT record FROM topics WHERE name = ?', name);
  }

  /** Deletes a topic and its subscriptions; false when it did not exist. */
  deleteTopic(name: string): boolean {
    this.db.run('DELETE FROM subscriptions WHERE topic_name = ?', name);
    return this.db.run('DELETE FROM topics WHERE name = ?', name) > 0;
  }

  /** Topics in name order after `after` (the previous page's token). */
  listTopics(after: string): TopicPage<TopicRecord> {
    const rows = topicColumn.all(this.db, 'SELECT record FROM topics WHERE name > ? ORDER BY name LIMIT ?', after, TOPICS_PAGE_SIZE + 1);
    return page(rows, (topic) => topic.name);
  }

  /** Sets (or, with an empty value, clears) one attribute or changes tags; undefined when the topic does not exist. */
  updateTopic(name: string, change: { attribute?: [string, string]; addTags?: Record<string, string>; removeTags?: string[] }): TopicRecord | undefined {
    const topic = this.getTopic(name);
    if (!topic) return undefined;
    if (change.attribute) {
      const [key, value] = change.attribute;
      if (value === '') delete topic.attributes[key];
      else topic.attributes[key] = value;
    }
    Object.assign(topic.tags, change.addTags ?? {});
    for (const key of change.removeTags ?? []) delete topic.tags[key];
    this.db.run('UPDATE topics SET record = ? WHERE name = ?', topicColumn.encode(topic), name);
    return topic;
  }

  /**
   * Subscribes `endpoint` to topic `topicName`; the same protocol and endpoint again answer the
   * existing subscription (as SNS does when the attributes agree). Undefined when the topic does not exist.
   */
  subscribe(topicName: string, protocol: SubscriptionProtocol, endpoint: string, attributes: Record<string, string>, newArn: string, principalArn: string,
    extra: Pick<SubscriptionRecord, 'confirmation' | 'linkOrigin'> = {}):
    { ok: true; value: SubscriptionRecord; created: boolean } | { ok: false; error: 'no-topic' | 'different-attributes' } {
    if (!this.getTopic(topicName)) return { ok: false, error: 'no-topic' };
    const existing = subscriptionColumn.one(this.db, 'SELECT record FROM subscriptions WHERE topic_name = ? AND protocol = ? AND endpoint = ?', topicName, protocol, endpoint);
    if (existing) {
      const same = Object.entries(attributes).every(([key, value]) => existing.attributes[key] === value);
      return same ? { ok: true, value: existing, created: false } : { ok: false, error: 'different-attributes' };
    }
    const record: SubscriptionRecord = { arn: newArn, topicName, protocol, endpoint, attributes, principalArn, ...extra };
    this.db.run('INSERT INTO subscriptions (arn, topic_name, protocol, endpoint, record) VALUES (?, ?, ?, ?, ?)', newArn, topicName, protocol, endpoint, subscriptionColumn.encode(record));
    return { ok: true, value: record, created: true };
  }

  /**
   * Confirms the subscription of topic `topicName` whose confirmation token is `token`
   * (idempotent: a confirmed one answers again, unchanged); undefined when no subscription of
   * that topic has that token.
   */
  confirmSubscription(topicName: string, token: string, authenticated: boolean, authenticateOnUnsubscribe: boolean): SubscriptionRecord | undefined {
    const subscription = subscriptionColumn.one(this.db, "SELECT record FROM subscriptions WHERE topic_name = ? AND json_extract(record, '$.confirmation.token') = ?", topicName, token);
    if (!subscription?.confirmation) return undefined;
    if (!subscription.confirmation.pending) return subscription;
    subscription.confirmation = { token, pending: false, authenticated, authenticateOnUnsubscribe };
    this.db.run('UPDATE subscriptions SET record = ? WHERE arn = ?', subscriptionColumn.encode(subscription), subscription.arn);
    return subscription;
  }

  getSubscription(arn: string): SubscriptionRecord | undefined {
    return subscriptionColumn.one(this.db, 'SELECT record FROM subscriptions WHERE arn = ?', arn);
  }

  /** Removes a subscription; false when there was none. */
  unsubscribe(arn: string): boolean {
    return this.db.run('DELETE FROM subscriptions WHERE arn = ?', arn) > 0;
  }

  /** Sets (an empty value clears) one attribute of a subscription; undefined when it does not exist. */
  setSubscriptionAttribute(arn: string, key: string, value: string): SubscriptionRecord | undefined {
    const subscription = this.getSubscription(arn);
    if (!subscription) return undefined;
    if (value === '') delete subscription.attributes[key];
    else subscription.attributes[key] = value;
    // A filter policy's scope goes with it.
    if (key === 'FilterPolicy' && value === '') delete subscription.attributes.FilterPolicyScope;
    this.db.run('UPDATE subscriptions SET record = ? WHERE arn = ?', subscriptionColumn.encode(subscription), arn);
    return subscription;
  }

  /** Subscriptions in ARN order after `after`, of one topic or (undefined) of all. */
  listSubscriptions(topicName: string | undefined, after: string): TopicPage<SubscriptionRecord> {
    const rows = topicName === undefined
      ? subscriptionColumn.all(this.db, 'SELECT record FROM subscriptions WHERE arn > ? ORDER BY arn LIMIT ?', after, TOPICS_PAGE_SIZE + 1)
      : subscriptionColumn.all(this.db, 'SELECT record FROM subscriptions WHERE topic_name = ? AND arn > ? ORDER BY arn LIMIT ?', topicName, after, TOPICS_PAGE_SIZE + 1);
    return page(rows, (subscription) => subscription.arn);
  }

  /** A topic and every subscription of it, for one Publish (undefined: no such topic). */
  topicForPublish(name: string): { topic: TopicRecord; subscriptions: SubscriptionRecord[] } | undefined {
    const topic = this.getTopic(name);
    if (!topic) return undefined;
    const subscriptions = subscriptionColumn.all(this.db, 'SELECT record FROM subscriptions WHERE topic_name = ? ORDER BY arn', name);
    // A subscription waiting for confirmation gets nothing, as in SNS.
    return { topic, subscriptions: subscriptions.filter((subscription) => !subscription.confirmation?.pending) };
  }

  /** How many subscriptions of a topic are confirmed and how many wait for confirmation (SubscriptionsConfirmed, SubscriptionsPending). */
  subscriptionCounts(topicName: string): { confirmed: number; pending: number } {
    const subscriptions = subscriptionColumn.all(this.db, 'SELECT record FROM subscriptions WHERE topic_name = ?', topicName);
    const pending = subscriptions.filter((subscription) => subscription.confirmation?.pending).length;
    return { confirmed: subscriptions.length - pending, pending };
  }

  /** Removes every topic and subscription of the account (account deletion). */
  async deleteAll(): Promise<void> {
    this.db.run('DELETE FROM subscriptions');
    this.db.run('DELETE FROM topics');
  }
}

/** A page of at most TOPICS_PAGE_SIZE of `rows` (fetched one longer), and the key of its last row when more follow. */
function page<T>(rows: T[], key: (row: T) => string): TopicPage<T> {
  const items = rows.slice(0, TOPICS_PAGE_SIZE);
  return { items, nextToken: rows.length > TOPICS_PAGE_SIZE ? key(items[items.length - 1]!) : undefined };
}
