// End to end: an http subscription on a real `wrangler dev`, driven by @aws-sdk/client-sns, with a
// local endpoint the operator's egress allow list names. The endpoint gets SNS's
// SubscriptionConfirmation, a plain GET of its SubscribeURL confirms, the SDK's
// ListSubscriptionsByTopic and GetSubscriptionAttributes show the change, and a Publish arrives
// as SNS's Notification with its headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { useDevServer } from './support/harness';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The endpoint: records every POST; `next()` resolves with the next one to arrive. */
let endpoint: Server;
let endpointUrl: string;
const received: Received[] = [];
const waiting: (() => void)[] = [];
beforeAll(async () => {
  endpoint = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.end('ok');
      for (const wake of waiting.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

/** The `n`th request the endpoint received (1-based), once it has arrived. */
async function nth(n: number): Promise<Received> {
  while (received.length < n) await new Promise<void>((resolve) => waiting.push(resolve));
  return received[n - 1]!;
}

const server = useDevServer({ vars: () => ({ FAASBOX_EGRESS_ALLOW: new URL(endpointUrl).host }) });
let sns: SNSClient;
beforeAll(() => {
  sns = server.client(SNSClient);
});

describe('SNS http subscriptions with the SDK', () => {
  it('confirms by the SubscribeURL and delivers the notification', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'webhooks' }));
    const subscribed = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpointUrl }));
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.map((s) => s.SubscriptionArn)).toEqual(['PendingConfirmation']);

    const confirmation = await nth(1);
    expect(confirmation.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    const { SubscribeURL, Token } = JSON.parse(confirmation.body) as { SubscribeURL: string; Token: string };
    expect(SubscribeURL).toBe(`${server.endpoint}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TopicArn!)}&Token=${Token}`);
    const visited = await fetch(SubscribeURL);
    const text = await visited.text();
    expect(visited.status, text).toBe(200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(text)![1]!;
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    expect(Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'false', Protocol: 'http', Endpoint: endpointUrl });

    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'order shipped', Subject: 'orders' }));
    const notification = await nth(2);
    expect(notification.headers).toMatchObject({ 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-subscription-arn': arn, 'content-type': 'text/plain; charset=UTF-8' });
    expect(JSON.parse(notification.body)).toMatchObject({ Type: 'Notification', MessageId, TopicArn, Subject: 'orders', Message: 'order shipped' });
  });
});
