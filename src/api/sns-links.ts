// SNS's public links on GET /: the SubscribeURL (`?Action=ConfirmSubscription&TopicArn=&Token=`)
// a SubscriptionConfirmation carries and the UnsubscribeURL (`?Action=Unsubscribe&SubscriptionArn=`)
// of every HTTP(S) notification. Public by design, as in SNS: the token, or the subscription's
// unguessable ARN, is the credential (docs/SECURITY.md). Any other GET / goes on to the console.
import { Hono } from 'hono';
import type { AppContext } from '../protocols/request-context';
import { escapeXml, renderQueryError } from '../protocols/aws-query';
import { confirmSubscription, unsubscribeByLink } from '../services/topics/confirmation';
import { invalidSnsParameter, SnsError } from '../topics/errors';
import { parseTopicArn } from '../topics/names';

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export const snsLinkRoutes = new Hono<AppContext>();

snsLinkRoutes.get('/', async (c, next) => {
  const action = c.req.query('Action');
  if (action !== 'ConfirmSubscription' && action !== 'Unsubscribe') return next();
  const requestId = c.get('requestId');
  try {
    if (action === 'Unsubscribe') {
      await unsubscribeByLink(c.env, c.req.query('SubscriptionArn') ?? '');
      return xml(`<UnsubscribeResponse xmlns="${SNS_XMLNS}">${metadata(requestId)}</UnsubscribeResponse>`);
    }
    const arn = c.req.query('TopicArn') ?? '';
    const topic = parseTopicArn(arn);
    if (!topic) throw invalidSnsParameter('Topic');
    const token = c.req.query('Token') ?? '';
    if (token === '') throw invalidSnsParameter('Token');
    const confirmed = await confirmSubscription(c.env, topic, token, { authenticated: false, authenticateOnUnsubscribe: false });
    return xml(`<ConfirmSubscriptionResponse xmlns="${SNS_XMLNS}"><ConfirmSubscriptionResult><SubscriptionArn>${escapeXml(confirmed.arn)}</SubscriptionArn></ConfirmSubscriptionResult>${metadata(requestId)}</ConfirmSubscriptionResponse>`);
  } catch (error) {
    if (error instanceof SnsError) return renderQueryError(error, requestId, { xmlns: SNS_XMLNS, detail: false });
    throw error;
  }
});

function metadata(requestId: string): string {
  return `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
}

function xml(body: string): Response {
  return new Response(`<?xml version="1.0"?>\n${body}`, { headers: { 'content-type': 'text/xml' } });
}
