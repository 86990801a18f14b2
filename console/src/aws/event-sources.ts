// The services that invoke a function on their own, for the designer: SNS topics with a lambda
// subscription to it (ListSubscriptions, first page of 100) and S3 buckets whose notification
// configuration names it (ListBuckets, then GetBucketNotificationConfiguration of each). XML read
// as text, as iam.ts reads IAM's. A caller who may not list either sees none of that kind.
import { signedFetch } from './client';
import { elementText } from './query';

/** One bucket configuration that sends events to the function. */
export interface BucketNotification {
  bucket: string;
  id: string;
  events: string[];
  /** `prefix images/`, `suffix .jpg`: the key filter, empty for none. */
  filter: string[];
}

/** One topic subscription that invokes the function. */
export interface TopicSubscription {
  topicArn: string;
  subscriptionArn: string;
}

const blocks = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!);
/** Whether `arn` names the function `functionArn` (unqualified) or one of its versions or aliases. */
const namesFunction = (arn: string, functionArn: string) => arn === functionArn || arn.startsWith(`${functionArn}:`);

async function textOf(response: Response): Promise<string | undefined> {
  const text = await response.text();
  return response.ok ? text : undefined;
}

/** The account's bucket configurations that name `functionArn` (or a qualifier of it). */
export async function bucketNotificationsOf(functionArn: string): Promise<BucketNotification[]> {
  const listing = await textOf(await signedFetch('s3', '/'));
  if (listing === undefined) return [];
  const buckets = blocks(listing, 'Bucket').map((b) => elementText(b, 'Name')).filter((name) => name !== undefined);
  const found = await Promise.all(buckets.map(async (bucket) => {
    const xml = await textOf(await signedFetch('s3', `/${encodeURIComponent(bucket)}?notification`));
    return blocks(xml ?? '', 'CloudFunctionConfiguration')
      .filter((config) => namesFunction(elementText(config, 'CloudFunction') ?? '', functionArn))
      .map((config): BucketNotification => ({
        bucket,
        id: elementText(config, 'Id') ?? '',
        events: blocks(config, 'Event'),
        filter: blocks(config, 'FilterRule').map((rule) => `${(elementText(rule, 'Name') ?? '').toLowerCase()} ${elementText(rule, 'Value') ?? ''}`),
      }));
  }));
  return found.flat();
}

/** The account's lambda subscriptions to `functionArn` (or a qualifier of it). */
export async function topicSubscriptionsOf(functionArn: string): Promise<TopicSubscription[]> {
  const body = new URLSearchParams({ Action: 'ListSubscriptions', Version: '2010-03-31' }).toString();
  const xml = await textOf(await signedFetch('sns', '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }));
  return blocks(xml ?? '', 'member')
    .filter((member) => elementText(member, 'Protocol') === 'lambda' && namesFunction(elementText(member, 'Endpoint') ?? '', functionArn))
    .map((member) => ({ topicArn: elementText(member, 'TopicArn') ?? '', subscriptionArn: elementText(member, 'SubscriptionArn') ?? '' }));
}
