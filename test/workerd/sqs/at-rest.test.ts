// Queue messages at rest (docs/SECURITY.md, "Encryption at rest"): bodies and attributes reach
// receivers intact with the MD5s of the clear text, the QueueStore's storage holds none of them,
// clear rows from before still receive, and a message faasbox cannot decrypt answers SQS's
// KmsAccessDenied (400), with nothing handed out, never a 5xx.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { accountCipher } from '../../../src/crypto/envelope';
import { kmsAccessDenied, sealMessage } from '../../../src/queues/at-rest';
import { sendToQueueArn } from '../../../src/queues/deliver';
import { storedText } from '../storage/tables';
import { createSqsTenant, type SqsTenant } from './sqs-client';

const SECRET_BODY = 'top-secret body: hunter2-zqx';
/** MD5 of SECRET_BODY, computed independently (Python hashlib). */
const SECRET_BODY_MD5 = 'b9aa5e31ec064fe8e829ac0d86a7f006';
const SECRET_ATTRIBUTE = 'attribute-secret-qwv';
const SECRET_BINARY = 'c2VjcmV0LWJpbmFyeS12YWx1ZQ=='; // "secret-binary-value"
/** Another root key than the test Worker's (vitest.config.ts). */
const OTHER_ROOT = { FAASBOX_ENCRYPTION_KEY: 'YW5vdGhlciByb290IGtleSBvZiAzMiBieXRlcyEhISE=' };

const storeOf = (tenant: SqsTenant) => env.QUEUES.get(env.QUEUES.idFromName(tenant.accountId));

async function tenantWithQueue(): Promise<{ tenant: SqsTenant; QueueUrl: string }> {
  const tenant = await createSqsTenant();
  const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'q' });
  return { tenant, QueueUrl };
}

/** Sets columns of the row of message `id` as other code (or an attacker with the file) would have. */
const rewriteRow = (tenant: SqsTenant, id: string, columns: Record<string, string>) => runInDurableObject(storeOf(tenant), (_i, state) => {
  for (const [column, value] of Object.entries(columns)) state.storage.sql.exec(`UPDATE messages SET ${column} = ? WHERE id = ?`, value, id);
});
const rowOf = (tenant: SqsTenant, id: string) => runInDurableObject(storeOf(tenant), (_i, state) =>
  state.storage.sql.exec<{ body: string; attributes: string; receive_count: number; receipt_handle: string | null }>('SELECT body, attributes, receive_count, receipt_handle FROM messages WHERE id = ?', id).one());

describe('queue messages at rest', () => {
  it('reach the receiver intact with the clear text\'s MD5s, and appear nowhere in the QueueStore\'s storage', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const MessageAttributes = {
      token: { DataType: 'String', StringValue: SECRET_ATTRIBUTE },
      blob: { DataType: 'Binary', BinaryValue: SECRET_BINARY },
    };
    const sent = await tenant.ok('SendMessage', { QueueUrl, MessageBody: SECRET_BODY, MessageAttributes });
    expect(sent.MD5OfMessageBody).toBe(SECRET_BODY_MD5);
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const stored = await storedText(storeOf(tenant));
    expect(stored).toContain(sent.MessageId);
    for (const clear of [SECRET_BODY, SECRET_ATTRIBUTE, SECRET_BINARY, SECRET_BODY_MD5, sent.MD5OfMessageAttributes, 'token']) expect(stored).not.toContain(clear);
    const row = await rowOf(tenant, sent.MessageId);
    expect(row.body).toMatch(/^fbx1\.[0-9a-f]{16}\./);
    expect(row.attributes).toMatch(/^fbx1\.[0-9a-f]{16}\./);

    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, MessageAttributeNames: ['All'] });
    expect(Messages).toEqual([{
      MessageId: sent.MessageId,
      ReceiptHandle: expect.any(String),
      Body: SECRET_BODY,
      MD5OfBody: SECRET_BODY_MD5,
      MessageAttributes,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
    }]);
  });

  it('a body sealed for another message does not open in this one', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const first = await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'harmless' });
    const second = await tenant.ok('SendMessage', { QueueUrl, MessageBody: SECRET_BODY });
    await rewriteRow(tenant, first.MessageId, { body: (await rowOf(tenant, second.MessageId)).body });
    const response = await tenant.call('ReceiveMessage', { QueueUrl });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('com.amazonaws.sqs#KmsAccessDenied');
  });

  it('rows stored in clear before encryption at rest still receive, a body that looks sealed too', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    // What the code before wrote (no `sealed` column: its default 0 marks the row clear).
    await runInDurableObject(storeOf(tenant), (_i, state) => {
      for (const [id, body, md5] of [['legacy-1', 'clear body', 'md5-of-clear'], ['legacy-2', 'fbx1.0123456789abcdef.AAAA', 'md5-of-looks-sealed']]) {
        state.storage.sql.exec(
          "INSERT INTO messages (queue, id, body, attributes, md5_body, md5_attributes, sender_id, sent_at, visible_at) VALUES ('q', ?, ?, ?, ?, 'md5-attrs', 'sender', ?, 0)",
          id, body, JSON.stringify({ a: { DataType: 'String', StringValue: 'v' } }), md5, Date.now(),
        );
      }
    });
    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] });
    expect(Messages.map((m: Record<string, unknown>) => [m.MessageId, m.Body, m.MD5OfBody, m.MD5OfMessageAttributes])).toEqual([
      ['legacy-1', 'clear body', 'md5-of-clear', 'md5-attrs'],
      ['legacy-2', 'fbx1.0123456789abcdef.AAAA', 'md5-of-looks-sealed', 'md5-attrs'],
    ]);
    expect(Messages[0].MessageAttributes).toEqual({ a: { DataType: 'String', StringValue: 'v' } });
  });

  it('a message sealed under another root key, or altered, answers KmsAccessDenied and stays in the queue', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const sent = await tenant.ok('SendMessage', { QueueUrl, MessageBody: SECRET_BODY, MessageAttributes: { token: { DataType: 'String', StringValue: SECRET_ATTRIBUTE } } });
    const original = await rowOf(tenant, sent.MessageId);
    const sealedAsSent = { body: original.body, attributes: original.attributes };
    const foreign = await sealMessage(accountCipher(OTHER_ROOT, tenant.accountId), sent.MessageId, SECRET_BODY, {});
    const altered = `${original.body.slice(0, -4)}AAA=`;
    for (const [what, columns] of [
      ['body under another root key', { body: foreign.body }],
      ['attributes under another root key', { attributes: foreign.attributes }],
      ['altered body', { body: altered }],
      ['not a sealed text', { body: SECRET_BODY }],
    ] as const) {
      await rewriteRow(tenant, sent.MessageId, { ...sealedAsSent, ...columns });
      const response = await tenant.call('ReceiveMessage', { QueueUrl });
      expect(response.status, what).toBe(400);
      expect(response.headers.get('x-amzn-query-error'), what).toBe('KMS.AccessDeniedException;Sender');
      const error = (await response.json()) as { __type: string; message: string };
      expect(error.__type, what).toBe('com.amazonaws.sqs#KmsAccessDenied');
      expect(error.message, what).toMatch(/^The operation failed because the message could not be encrypted or decrypted: /);
      expect(error.message, what).not.toMatch(/[0-9a-f]{16}|hunter2/);
      // Nothing was handed out: the message is neither hidden nor counted as received.
      expect(await rowOf(tenant, sent.MessageId), what).toMatchObject({ receive_count: 0, receipt_handle: null });
    }
    const query = await tenant.query({ Action: 'ReceiveMessage', QueueUrl });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('<Code>KMS.AccessDeniedException</Code>');

    await rewriteRow(tenant, sent.MessageId, sealedAsSent);
    expect((await tenant.ok('ReceiveMessage', { QueueUrl })).Messages[0].Body).toBe(SECRET_BODY);
  });

  it('dead letters delivered inside faasbox are sealed too and receive in clear', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const sent = await sendToQueueArn(env, tenant.accountId, 'us-east-1', `arn:aws:sqs:us-east-1:${tenant.accountId}:q`, SECRET_BODY, {
      ErrorMessage: { DataType: 'String', StringValue: SECRET_ATTRIBUTE },
    });
    expect(sent.ok).toBe(true);
    const stored = await storedText(storeOf(tenant));
    expect(stored).not.toContain(SECRET_BODY);
    expect(stored).not.toContain(SECRET_ATTRIBUTE);
    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, MessageAttributeNames: ['All'] });
    expect(Messages[0]).toMatchObject({ Body: SECRET_BODY, MD5OfBody: SECRET_BODY_MD5, MessageAttributes: { ErrorMessage: { StringValue: SECRET_ATTRIBUTE } } });
  });

  it('without a root key a message is not stored: KmsAccessDenied', async () => {
    const noKey = await sealMessage(accountCipher({}, '123456789012'), 'm', SECRET_BODY, {}).catch(kmsAccessDenied);
    expect(noKey).toEqual({ ok: false, error: 'KmsAccessDenied', message: 'The operation failed because the message could not be encrypted or decrypted: faasbox has no encryption key configured.' });
    expect(() => kmsAccessDenied(new TypeError('not a seal failure'))).toThrow(TypeError);
  });
});
