// What SNS delivers: the Lambda event of a notification (Records[].Sns), the JSON envelope an
// SQS or HTTP(S) subscriber gets as its message body, and an HTTP(S) endpoint's
// SubscriptionConfirmation. Pure: no I/O.
import type { PublishedAttribute } from './filter-policy';

/** One published message as every subscriber of it sees it. */
export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The message for this subscriber's protocol (MessageStructure json: its entry, else `default`). */
  message: string;
  /** ISO 8601 with milliseconds, as SNS writes it. */
  timestamp: string;
  attributes: Record<string, PublishedAttribute>;
}

/** Not a verifiable signature: faasbox has no SNS signing certificate (docs/SNS.md). */
const UNSIGNED = 'faasbox-does-not-sign-notifications';

function signingCertUrl(region: string): string {
  return `https://sns.${region}.amazonaws.com/SimpleNotificationService-faasbox.pem`;
}

function unsubscribeUrl(region: string, subscriptionArn: string): string {
  return `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** Attributes as notifications carry them: `{Type, Value}` (a Binary's value in base64). */
function renderedAttributes(attributes: Record<string, PublishedAttribute>): Record<string, { Type: string; Value: string }> {
  return Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' }]));
}

/**
 * The event a Lambda subscriber is invoked with (asynchronously), as SNS sends it.
 * @example lambdaEvent(notification, 'us-east-1', subscriptionArn).Records[0].Sns.Message
 */
export function lambdaEvent(notification: Notification, region: string, subscriptionArn: string) {
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: subscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: notification.messageId,
        TopicArn: notification.topicArn,
        // SNS's Lambda events carry Subject: null when the message had none.
        Subject: notification.subject ?? null,
        Message: notification.message,
        Timestamp: notification.timestamp,
        SignatureVersion: '1',
        Signature: UNSIGNED,
        SigningCertUrl: signingCertUrl(region),
        UnsubscribeUrl: unsubscribeUrl(region, subscriptionArn),
        MessageAttributes: renderedAttributes(notification.attributes),
      },
    }],
  };
}

/** The JSON body an SQS subscriber gets without RawMessageDelivery (Subject and MessageAttributes only when there are some). */
export function sqsEnvelope(notification: Notification, region: string, subscriptionArn: string): string {
  return envelope(notification, '1', signingCertUrl(region), unsubscribeUrl(region, subscriptionArn));
}

/**
 * The JSON body an HTTP(S) subscriber gets without RawMessageDelivery: the SQS envelope, with the
 * topic's SignatureVersion and an UnsubscribeURL on faasbox (`origin`, docs/SNS.md).
 */
export function httpEnvelope(notification: Notification, region: string, subscriptionArn: string, origin: string, signatureVersion: string): string {
  return envelope(notification, signatureVersion, signingCertUrl(region), `${origin}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`);
}

function envelope(notification: Notification, signatureVersion: string, certUrl: string, unsubscribe: string): string {
  const attributes = renderedAttributes(notification.attributes);
  return JSON.stringify({
    Type: 'Notification',
    MessageId: notification.messageId,
    TopicArn: notification.topicArn,
    ...(notification.subject !== undefined && { Subject: notification.subject }),
    Message: notification.message,
    Timestamp: notification.timestamp,
    SignatureVersion: signatureVersion,
    Signature: UNSIGNED,
    SigningCertURL: certUrl,
    UnsubscribeURL: unsubscribe,
    ...(Object.keys(attributes).length > 0 && { MessageAttributes: attributes }),
  });
}

/** What an HTTP(S) endpoint is sent to confirm its subscription. */
export interface ConfirmationRequest {
  messageId: string;
  topicArn: string;
  token: string;
  /** ISO 8601 with milliseconds. */
  timestamp: string;
}

/** The SubscribeURL of a token: a GET on faasbox (`origin`) that confirms the subscription. */
export function subscribeUrl(origin: string, topicArn: string, token: string): string {
  return `${origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;
}

/**
 * The SubscriptionConfirmation body SNS posts to a new HTTP(S) subscription, with SNS's message text.
 * @example JSON.parse(confirmationBody(request, 'us-east-1', 'https://faasbox.example', '1')).SubscribeURL
 */
export function confirmationBody(request: ConfirmationRequest, region: string, origin: string, signatureVersion: string): string {
  return JSON.stringify({
    Type: 'SubscriptionConfirmation',
    MessageId: request.messageId,
    Token: request.token,
    TopicArn: request.topicArn,
    Message: `You have chosen to subscribe to the topic ${request.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl(origin, request.topicArn, request.token),
    Timestamp: request.timestamp,
    SignatureVersion: signatureVersion,
    Signature: UNSIGNED,
    SigningCertURL: signingCertUrl(region),
  });
}
