// What the function overview (the designer) draws: a function's triggers (function URLs,
// EventBridge schedule rules that target it, SQS event source mappings, S3 bucket notifications and
// SNS subscriptions: aws/event-sources.ts) and its destinations
// (OnSuccess/OnFailure of asynchronous invocation, the dead-letter queue), read through the same
// APIs the SDK uses. List operations throughout: they answer 200 with nothing rather than a 404
// that the browser would log as an error.
import { awsJson, restJson } from './client';
import type { FunctionConfiguration } from './lambda';
import { latestConfigOf, listSchedules, type EventInvokeConfig } from './config';
import { bucketNotificationsOf, topicSubscriptionsOf } from './event-sources';

export type TriggerKind = 'url' | 'schedule' | 'sqs' | 's3' | 'sns';
export type DestinationKind = 'on-success' | 'on-failure' | 'dlq';

export interface Trigger {
  kind: TriggerKind;
  /** Unique within the overview. */
  id: string;
  /** The trigger's own name (the rule, the queue, the URL). */
  title: string;
  detail: string;
}

export interface Destination {
  kind: DestinationKind;
  id: string;
  /** The target's name (queue, topic or function). */
  title: string;
  /** The target's kind and region (the ARN is in `arn`). */
  detail: string;
  arn: string;
}

export interface Overview {
  triggers: Trigger[];
  destinations: Destination[];
}

interface FunctionUrlConfig { FunctionUrl: string; FunctionArn: string; AuthType: string }
interface EventSourceMapping { UUID: string; EventSourceArn: string; State?: string; BatchSize?: number }

const encode = encodeURIComponent;

/** The last part of an ARN (a queue's or function's name, a rule's name after `rule/`). */
export function arnName(arn: string): string {
  return arn.split(':').slice(5).join(':').replace(/^(rule|function)[/:]/, '');
}

/** "SQS queue in us-east-1" for a queue's ARN, and so on. */
function targetKind(arn: string): string {
  const [, , service, region] = arn.split(':');
  const what = service === 'sqs' ? 'SQS queue' : service === 'sns' ? 'SNS topic' : service === 'lambda' ? 'Lambda function' : service;
  return `${what} in ${region}`;
}

export async function loadOverview(config: FunctionConfiguration): Promise<Overview> {
  const name = config.FunctionName;
  const [urls, rules, mappings, invokeConfigs, buckets, topics] = await Promise.all([
    restJson<{ FunctionUrlConfigs: FunctionUrlConfig[] }>('GET', `/2021-10-31/functions/${encode(name)}/urls`),
    listSchedules(config.FunctionName),
    restJson<{ EventSourceMappings: EventSourceMapping[] }>('GET', `/2015-03-31/event-source-mappings?FunctionName=${encode(name)}`),
    restJson<{ FunctionEventInvokeConfigs: EventInvokeConfig[] }>('GET', `/2019-09-25/functions/${encode(name)}/event-invoke-config/list`),
    bucketNotificationsOf(config.FunctionArn),
    topicSubscriptionsOf(config.FunctionArn),
  ]);
  const triggers: Trigger[] = [
    ...urls.FunctionUrlConfigs.map((u): Trigger => {
      const qualifier = u.FunctionArn.split(':')[7];
      return { kind: 'url', id: `url:${u.FunctionArn}`, title: u.FunctionUrl.replace(/^https?:\/\//, ''), detail: `Auth ${u.AuthType}${qualifier ? ` · ${qualifier}` : ''}` };
    }),
    ...rules.map((r): Trigger => ({ kind: 'schedule', id: `rule:${r.Name}`, title: r.Name, detail: `${r.ScheduleExpression ?? ''}${r.State === 'DISABLED' ? ' · disabled' : ''}` })),
    ...mappings.EventSourceMappings.map((m): Trigger => ({ kind: 'sqs', id: `sqs:${m.UUID}`, title: arnName(m.EventSourceArn), detail: `batch ${m.BatchSize ?? 10}${m.State && m.State !== 'Enabled' ? ` · ${m.State.toLowerCase()}` : ''}` })),
    ...buckets.map((b): Trigger => ({ kind: 's3', id: `s3:${b.bucket}:${b.id}`, title: b.bucket, detail: [b.events.map((e) => e.replace(/^s3:/, '')).join(', '), ...b.filter].join(' · ') })),
    ...topics.map((t): Trigger => ({ kind: 'sns', id: `sns:${t.subscriptionArn}`, title: arnName(t.topicArn), detail: 'subscription' })),
  ];
  const destinations: Destination[] = [];
  const destinationConfig = latestConfigOf(invokeConfigs.FunctionEventInvokeConfigs)?.DestinationConfig;
  const onSuccess = destinationConfig?.OnSuccess?.Destination;
  const onFailure = destinationConfig?.OnFailure?.Destination;
  const destination = (kind: DestinationKind, arn: string): Destination => ({ kind, id: kind, title: arnName(arn), detail: targetKind(arn), arn });
  if (onSuccess) destinations.push(destination('on-success', onSuccess));
  if (onFailure) destinations.push(destination('on-failure', onFailure));
  const dlq = config.DeadLetterConfig?.TargetArn;
  if (dlq) destinations.push(destination('dlq', dlq));
  return { triggers, destinations };
}
