// Queue messages at rest (docs/SECURITY.md, "Encryption at rest"): the body and the message
// attributes a QueueStore row holds, sealed under the account's data key and bound to the message id.
import { SealError, type AccountCipher, type SealFailure } from '../crypto/envelope';
import type { QueueFailure } from './errors';
import type { MessageAttributes } from '../records/queues';

/** What a row stores: sealed texts in place of the body and of the attributes' JSON. */
export interface SealedMessage {
  body: string;
  attributes: string;
}

// The message id is in each context: a sealed body copied into another row does not open.
const bodyContext = (messageId: string) => `queue-message-body:${messageId}`;
const attributesContext = (messageId: string) => `queue-message-attributes:${messageId}`;

/** Seals a message's body and attributes (names, types and values) for the row of `messageId`. Throws SealError. */
export async function sealMessage(cipher: AccountCipher, messageId: string, body: string, attributes: MessageAttributes): Promise<SealedMessage> {
  const [sealedBody, sealedAttributes] = await Promise.all([
    cipher.seal(body, bodyContext(messageId)),
    cipher.seal(JSON.stringify(attributes), attributesContext(messageId)),
  ]);
  return { body: sealedBody, attributes: sealedAttributes };
}

/** The clear body and attributes of a sealed row. Throws SealError (fails closed). */
export async function openMessage(cipher: AccountCipher, messageId: string, sealed: SealedMessage): Promise<{ body: string; attributes: MessageAttributes }> {
  const [body, attributes] = await Promise.all([
    cipher.open(sealed.body, bodyContext(messageId)),
    cipher.open(sealed.attributes, attributesContext(messageId)),
  ]);
  return { body, attributes: JSON.parse(attributes) as MessageAttributes };
}

const TENANT_REASONS: Record<SealFailure, string> = {
  'no-key': 'faasbox has no encryption key configured',
  'other-key': 'the message was encrypted under another faasbox encryption key',
  corrupt: "the stored message does not decrypt under faasbox's encryption key",
};

/**
 * SQS's answer when SSE cannot encrypt or decrypt a message (KmsAccessDenied, 400), with
 * faasbox's reason; it names no key id and no content. Rethrows what is not a SealError.
 */
export function kmsAccessDenied(error: unknown): QueueFailure {
  if (!(error instanceof SealError)) throw error;
  return { ok: false, error: 'KmsAccessDenied', message: `The operation failed because the message could not be encrypted or decrypted: ${TENANT_REASONS[error.reason]}.` };
}
