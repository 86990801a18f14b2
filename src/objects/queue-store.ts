// QueueStore: one object per account, holding all that account's queues and their messages in
// SQLite. Every method runs its SQL without interleaving (the SQL is synchronous), so a receive
// hands each visible message to exactly one caller, and a redrive to the dead-letter
// queue (another queue of the same object) is one atomic update. Results are values, never throws.
// Bodies and attributes are stored sealed under the account's data key (src/queues/at-rest.ts).
import { DurableObject } from 'cloudflare:workers';
import { accountCipher, type AccountCipher } from '../crypto/envelope';
import { kmsAccessDenied, openMessage, sealMessage } from '../queues/at-rest';
import type { QueueFailure, SqsErrorCode } from '../queues/errors';
import { checkMessage, DELAY_MAX_SECONDS, md5Hex, md5OfMessageAttributes } from '../queues/messages';
import { checkQueueName } from '../queues/names';
import { parseQueueArn } from '../queues/names';
import { differingAttribute, parseSettings } from '../queues/settings';
import {
  RECEIVE_MAX_MESSAGES, type MessageAttributes, type QueueCounts, type QueueRecord, type QueueSettings, type ReceivedMessage, type SentMessage,
} from '../records/queues';
import { fail, ok, type Result } from '../records/result';
import { changedTags, withChangedTags, type Tags } from '../records/tags';
import { jsonColumn, type Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

/** A QueueStore answer: a value, or an SQS error code with the message a client sees. */
export type QueueResult<T> = Result<T, SqsErrorCode, Record<SqsErrorCode, { message: string }>>;

const SCHEMA = defineSchema({
  version: 1,
  description: 'queues and messages (the schema before versioning)',
  up: `
    CREATE TABLE IF NOT EXISTS queues (name TEXT PRIMARY KEY, settings TEXT NOT NULL, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
      attributes TEXT NOT NULL, md5_body TEXT NOT NULL, md5_attributes TEXT, sender_id TEXT NOT NULL,
      sent_at INTEGER NOT NULL, visible_at INTEGER NOT NULL, receive_count INTEGER NOT NULL DEFAULT 0,
      first_received_at INTEGER, receipt_handle TEXT);
    CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (queue, visible_at);
    CREATE INDEX IF NOT EXISTS messages_by_receipt ON messages (receipt_handle);`,
}, {
  version: 2,
  description: 'messages encrypted at rest: a marker of sealed rows',
  // A clear body may itself start with `fbx1.`, so a row says whether it is sealed. Rows from
  // before (0) stay clear and are received as they are, until deleted or expired.
  up: 'ALTER TABLE messages ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0',
}, {
  version: 3,
  description: "queues' tags (TagQueue, CreateQueue's tags): a JSON map, NULL when there are none",
  up: 'ALTER TABLE queues ADD COLUMN tags TEXT',
});

const settingsColumn = jsonColumn<QueueSettings>('settings');
const attributesColumn = jsonColumn<MessageAttributes>('attributes');

const RECEIPT_HANDLE = /^[A-Za-z0-9_-]{64}$/;

/** Tags in key order, to compare two maps. */
const sortedTags = (tags: Tags) => Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

type MessageRow = {
  seq: number;
  id: string;
  body: string;
  attributes: string;
  md5_body: string;
  md5_attributes: string | null;
  sender_id: string;
  sent_at: number;
  receive_count: number;
  first_received_at: number | null;
  visible_at: number;
  receipt_handle: string | null;
  /** 1: body and attributes are sealed texts, and the MD5s are not stored (they would fingerprint the clear text). */
  sealed: number;
};

type QueueRow = { name: string; settings: string; created_at: number; modified_at: number; tags: string | null };

const notFound = (): QueueFailure => fail('QueueDoesNotExist', { message: 'The specified queue does not exist.' });

export class QueueStore extends DurableObject<Env> {
  private readonly db: Sql;
  private readonly cipher: AccountCipher;
  private readonly accountId: string;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // bindings.ts names every QueueStore by its account id, which its data key is derived from.
    const accountId = ctx.id.name;
    if (accountId === undefined) throw new Error('a QueueStore must be named by its account id (bindings.ts)');
    this.accountId = accountId;
    this.cipher = accountCipher(env, accountId);
    this.db = openStorage(ctx, SCHEMA);
  }

  /**
   * Creates a queue, or returns the existing one when its settings are the same (SQS's
   * idempotent CreateQueue). `attributes` is CreateQueue's string map; unset ones take defaults.
   * `limit` (a playground sandbox's): a new queue past `max` queues is OverLimit with `message`.
   * `tags` (CreateQueue's, checked by the caller) go with a new queue; an existing one must have
   * the same ones when any are given (SQS refuses different ones as it refuses different attributes).
   */
  createQueue(name: string, attributes: Record<string, string> = {}, limit?: { max: number; message: string }, tags?: Tags): QueueResult<QueueRecord> {
    const badName = checkQueueName(name);
    if (badName) return badName;
    const parsed = parseSettings(attributes);
    if (!parsed.ok) return parsed;
    const newTags = changedTags(undefined, tags);
    const existing = this.getQueue(name);
    if (existing) {
      const differs = differingAttribute(parsed.value, existing.settings);
      if (differs) return fail('QueueNameExists', { message: `A queue already exists with the same name and a different value for attribute ${differs}` });
      if (newTags && JSON.stringify(sortedTags(newTags)) !== JSON.stringify(sortedTags(existing.tags ?? {}))) {
        return fail('QueueNameExists', { message: 'A queue already exists with the same name and a different value for tags' });
      }
      return ok(existing);
    }
    const badTarget = this.checkDeadLetterTarget(parsed.value);
    if (badTarget) return badTarget;
    if (limit && this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM queues').n >= limit.max) return fail('OverLimit', { message: limit.message });
    const now = Date.now();
    this.db.run(
      'INSERT INTO queues (name, settings, created_at, modified_at, tags) VALUES (?, ?, ?, ?, ?)',
      name, settingsColumn.encode(parsed.value), now, now, newTags ? JSON.stringify(newTags) : null,
    );
    return ok({ name, settings: parsed.value, createdAtMs: now, modifiedAtMs: now, ...(newTags && { tags: newTags }) });
  }

  /**
   * SetQueueAttributes: applies `attributes` over the queue's current settings. The caller has
   * checked that a RedrivePolicy's target is in this account; here it must exist.
   */
  setAttributes(name: string, attributes: Record<string, string>): QueueResult<QueueRecord> {
    const queue = this.getQueue(name);
    if (!queue) return notFound();
    const parsed = parseSettings(attributes, queue.settings);
    if (!parsed.ok) return parsed;
    const badTarget = this.checkDeadLetterTarget(parsed.value);
    if (badTarget) return badTarget;
    const now = Date.now();
    this.db.run('UPDATE queues SET settings = ?, modified_at = ? WHERE name = ?', settingsColumn.encode(parsed.value), now, name);
    return ok({ ...queue, settings: parsed.value, modifiedAtMs: now });
  }

  getQueue(name: string): QueueRecord | undefined {
    const row = this.db.one<QueueRow>('SELECT * FROM queues WHERE name = ?', name);
    return row && {
      name: row.name, settings: settingsColumn.decode(row), createdAtMs: row.created_at, modifiedAtMs: row.modified_at,
      ...(row.tags !== null && { tags: JSON.parse(row.tags) as Tags }),
    };
  }

  /**
   * TagQueue / UntagQueue: `set` over the queue's tags, `remove` taken out; more than `maxTags`
   * remaining is refused (InvalidParameterValue). Not a change of its attributes:
   * LastModifiedTimestamp stays.
   */
  changeTags(name: string, set: Tags, remove: readonly string[], maxTags: number): QueueResult<QueueRecord> {
    const queue = this.getQueue(name);
    if (!queue) return notFound();
    const tagged = withChangedTags(queue, set, remove, maxTags);
    if (!tagged) return fail('InvalidParameterValue', { message: `Too many tags added for queue ${name}.` });
    this.db.run('UPDATE queues SET tags = ? WHERE name = ?', tagged.tags ? JSON.stringify(tagged.tags) : null, name);
    return ok(tagged);
  }

  /** Queue names starting with `prefix`, in name order after `after`, at most `maxResults`. */
  listQueues(prefix = '', maxResults = 1000, after = ''): { names: string[]; nextToken?: string } {
    const names = this.db
      .all<{ name: string }>("SELECT name FROM queues WHERE substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?", prefix, prefix, after, maxResults + 1)
      .map((r) => r.name);
    const page = names.slice(0, maxResults);
    return { names: page, nextToken: names.length > maxResults ? page[page.length - 1] : undefined };
  }

  /** Deletes the queue and its messages; false when there was no such queue. */
  deleteQueue(name: string): boolean {
    if (!this.getQueue(name)) return false;
    this.db.run('DELETE FROM messages WHERE queue = ?', name);
    this.db.run('DELETE FROM queues WHERE name = ?', name);
    return true;
  }

  /** Removes every queue of the account with its messages (account deletion). */
  async deleteAll(): Promise<void> {
    this.db.run('DELETE FROM messages');
    this.db.run('DELETE FROM queues');
  }

  /** Deletes every message of the queue; false when there is no such queue. */
  purgeQueue(name: string): boolean {
    if (!this.getQueue(name)) return false;
    this.db.run('DELETE FROM messages WHERE queue = ?', name);
    return true;
  }

  /**
   * Stores a message, visible after `delaySeconds` (default: the queue's DelaySeconds).
   * `senderId` is reported back as the SenderId attribute.
   */
  async sendMessage(
    name: string,
    message: { body: string; messageAttributes?: MessageAttributes; delaySeconds?: number; senderId: string },
    heldLimit?: { max: number; message: string },
  ): Promise<QueueResult<SentMessage>> {
    const queue = this.getQueue(name);
    if (!queue) return notFound();
    const delay = message.delaySeconds ?? queue.settings.delaySeconds;
    if (!Number.isInteger(delay) || delay < 0 || delay > DELAY_MAX_SECONDS) {
      return fail('InvalidParameterValue', { message: `Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and ${DELAY_MAX_SECONDS}, if provided.` });
    }
    const bad = checkMessage(message.body, message.messageAttributes ?? {}, queue.settings.maximumMessageBytes);
    if (bad) return bad;
    // Only the fields SQS keeps: a client's extra members are not echoed back.
    const attributes: MessageAttributes = Object.fromEntries(
      Object.entries(message.messageAttributes ?? {}).map(([key, { DataType, StringValue, BinaryValue }]) => [
        key, DataType.startsWith('Binary') ? { DataType, BinaryValue } : { DataType, StringValue },
      ]),
    );
    const md5OfMessageBody = await md5Hex(message.body);
    const md5Attributes = await md5OfMessageAttributes(attributes);
    const messageId = crypto.randomUUID();
    let sealed;
    try {
      sealed = await sealMessage(this.cipher, messageId, message.body, attributes);
    } catch (error) {
      return this.undecryptable(error, name, messageId);
    }
    // Other calls may have run during the digests and the sealing: the queue must still be there,
    // and (a playground sandbox's queue, `heldLimit`) hold fewer than its maximum of messages.
    if (!this.getQueue(name)) return notFound();
    if (heldLimit && this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM messages WHERE queue = ?', name).n >= heldLimit.max) {
      return fail('OverLimit', { message: heldLimit.message });
    }
    const now = Date.now();
    this.db.run(
      "INSERT INTO messages (queue, id, body, attributes, md5_body, md5_attributes, sender_id, sent_at, visible_at, sealed) VALUES (?, ?, ?, ?, '', NULL, ?, ?, ?, 1)",
      name, messageId, sealed.body, sealed.attributes, message.senderId, now, now + delay * 1000,
    );
    return ok({ messageId, md5OfMessageBody, md5OfMessageAttributes: md5Attributes });
  }

  /**
   * Hands out up to `maxMessages` visible messages, oldest first, each hidden for
   * `visibilityTimeoutSeconds` (default: the queue's VisibilityTimeout) under a new receipt handle.
   * Returns at once; long polling is the caller's loop. A message that cannot be decrypted fails
   * the whole receive with KmsAccessDenied, and no message is handed out or hidden.
   */
  async receiveMessages(name: string, maxMessages = 1, visibilityTimeoutSeconds?: number): Promise<QueueResult<ReceivedMessage[]>> {
    const queue = this.getQueue(name);
    if (!queue) return notFound();
    const now = Date.now();
    this.dropExpired(queue, now);
    this.redrive(queue, now);
    const hiddenUntil = now + (visibilityTimeoutSeconds ?? queue.settings.visibilityTimeoutSeconds) * 1000;
    const rows = this.db.all<MessageRow>('SELECT * FROM messages WHERE queue = ? AND visible_at <= ? ORDER BY seq LIMIT ?', name, now, Math.min(Math.max(maxMessages, 1), RECEIVE_MAX_MESSAGES));
    // Opened before any row is taken: a failure leaves every message as it was.
    const opened = [];
    for (const row of rows) {
      try {
        opened.push({ row, ...(await this.openRow(row)) });
      } catch (error) {
        return this.undecryptable(error, name, row.id);
      }
    }
    const messages: ReceivedMessage[] = [];
    for (const { row, body, attributes, md5OfBody, md5OfMessageAttributes } of opened) {
      const receiptHandle = newReceiptHandle();
      const firstReceivedAtMs = row.first_received_at ?? now;
      // Other calls ran while the rows were opened: a row another receive took, or deleted or
      // redrove since, is no longer this caller's.
      const taken = this.db.run(
        `UPDATE messages SET receipt_handle = ?, receive_count = receive_count + 1, first_received_at = ?, visible_at = ?
         WHERE seq = ? AND queue = ? AND receive_count = ? AND visible_at = ? AND receipt_handle IS ?`,
        receiptHandle, firstReceivedAtMs, hiddenUntil, row.seq, name, row.receive_count, row.visible_at, row.receipt_handle,
      );
      if (taken === 0) continue;
      messages.push({
        messageId: row.id,
        body,
        md5OfBody,
        messageAttributes: attributes,
        md5OfMessageAttributes,
        senderId: row.sender_id,
        sentAtMs: row.sent_at,
        receiveCount: row.receive_count + 1,
        firstReceivedAtMs,
        receiptHandle,
      });
    }
    return ok(messages);
  }

  /** A row's body and attributes in clear, with their MD5s (computed again for a sealed row). Throws SealError. */
  private async openRow(row: MessageRow): Promise<{ body: string; attributes: MessageAttributes; md5OfBody: string; md5OfMessageAttributes?: string }> {
    if (row.sealed === 0) {
      return { body: row.body, attributes: attributesColumn.decode(row), md5OfBody: row.md5_body, md5OfMessageAttributes: row.md5_attributes ?? undefined };
    }
    const { body, attributes } = await openMessage(this.cipher, row.id, row);
    return { body, attributes, md5OfBody: await md5Hex(body), md5OfMessageAttributes: await md5OfMessageAttributes(attributes) };
  }

  /** KmsAccessDenied for a message that cannot be sealed or opened; the log names ids, never content. */
  private undecryptable(error: unknown, queue: string, messageId: string): QueueFailure {
    const failure = kmsAccessDenied(error);
    console.error(`QueueStore: message ${messageId} of queue ${queue} of account ${this.accountId} cannot be encrypted or decrypted: ${(error as Error).message}`);
    return failure;
  }

  /**
   * Deletes the message last received under `receiptHandle`. As in SQS, a well-formed handle
   * that no longer matches (message deleted, or received again since) succeeds without effect.
   */
  deleteMessage(name: string, receiptHandle: string): QueueResult<null> {
    if (!this.getQueue(name)) return notFound();
    if (!RECEIPT_HANDLE.test(receiptHandle)) return fail('ReceiptHandleIsInvalid', { message: `The input receipt handle "${receiptHandle}" is not a valid receipt handle.` });
    this.db.run('DELETE FROM messages WHERE queue = ? AND receipt_handle = ?', name, receiptHandle);
    return ok(null);
  }

  /**
   * Deletes the messages last received under `receiptHandles` (the event source poller's
   * DeleteMessageBatch); stale handles are ignored as in deleteMessage.
   */
  deleteMessages(name: string, receiptHandles: string[]): QueueResult<null> {
    if (!this.getQueue(name)) return notFound();
    for (const handle of receiptHandles) this.db.run('DELETE FROM messages WHERE queue = ? AND receipt_handle = ?', name, handle);
    return ok(null);
  }

  /**
   * Makes the messages last received under `receiptHandles` visible again after
   * `visibilityTimeoutSeconds` (ChangeMessageVisibility); the poller hands back throttled
   * batches this way. Stale handles are ignored.
   */
  changeVisibility(name: string, receiptHandles: string[], visibilityTimeoutSeconds: number): QueueResult<null> {
    if (!this.getQueue(name)) return notFound();
    const visibleAt = Date.now() + visibilityTimeoutSeconds * 1000;
    for (const handle of receiptHandles) this.db.run('UPDATE messages SET visible_at = ? WHERE queue = ? AND receipt_handle = ?', visibleAt, name, handle);
    return ok(null);
  }

  /** The queue with its approximate message counts (after dropping expired messages). */
  getAttributes(name: string): QueueResult<{ queue: QueueRecord; counts: QueueCounts }> {
    const queue = this.getQueue(name);
    if (!queue) return notFound();
    const now = Date.now();
    this.dropExpired(queue, now);
    const counts = this.db.single<{ visible: number; inFlight: number; delayed: number }>(
      `SELECT COALESCE(SUM(visible_at <= ?1), 0) AS visible,
              COALESCE(SUM(visible_at > ?1 AND receive_count > 0), 0) AS inFlight,
              COALESCE(SUM(visible_at > ?1 AND receive_count = 0), 0) AS delayed
       FROM messages WHERE queue = ?2`,
      now, name,
    );
    return ok({ queue, counts });
  }

  /**
   * RedrivePolicy, applied on receive as SQS does: a visible message already received
   * maxReceiveCount times moves to the dead-letter queue instead of being handed out. It keeps
   * its id, body, attributes and sent time (retention counts from the first send); its receive
   * count starts again at 0. A dead-letter queue deleted since leaves the messages where they are.
   */
  private redrive(queue: QueueRecord, now: number): void {
    const policy = queue.settings.redrivePolicy;
    const target = policy && parseQueueArn(policy.deadLetterTargetArn)?.name;
    if (!policy || !target || target === queue.name || !this.getQueue(target)) return;
    this.db.run(
      `UPDATE messages SET queue = ?, visible_at = ?, receive_count = 0, first_received_at = NULL, receipt_handle = NULL
       WHERE queue = ? AND visible_at <= ? AND receive_count >= ?`,
      target, now, queue.name, now, policy.maxReceiveCount,
    );
  }

  /** A RedrivePolicy must name an existing queue of this account (the caller checked the account). */
  private checkDeadLetterTarget(settings: QueueSettings): QueueFailure | undefined {
    if (!settings.redrivePolicy) return undefined;
    const target = parseQueueArn(settings.redrivePolicy.deadLetterTargetArn)?.name;
    if (target && this.getQueue(target)) return undefined;
    return fail('InvalidParameterValue', { message: `Value ${JSON.stringify(settings.redrivePolicy)} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.` });
  }

  /** MessageRetentionPeriod: messages older than it are gone before anyone can read them. */
  private dropExpired(queue: QueueRecord, now: number): void {
    this.db.run('DELETE FROM messages WHERE queue = ? AND sent_at <= ?', queue.name, now - queue.settings.messageRetentionSeconds * 1000);
  }
}

/** 48 random bytes, base64url: 64 characters. */
function newReceiptHandle(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}
