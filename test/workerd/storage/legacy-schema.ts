// The SQLite schema of every Durable Object as the code before the storage kit made it (no
// schema version table), copied from that code (commit 699ac8d), and one row per table to seed it.
// The migration test builds this state and checks that the storage kit adopts it unchanged.

export type ObjectBinding = 'ACCOUNTS' | 'FUNCTIONS' | 'LOGS' | 'CONCURRENCY' | 'QUEUES' | 'METRICS' | 'TRACES' | 'SCHEDULES' | 'EVENT_SOURCE_MAPPINGS';

/** Today's DDL, statement by statement. */
export const LEGACY_DDL: Record<ObjectBinding, string[]> = {
  ACCOUNTS: [
    'CREATE TABLE IF NOT EXISTS accounts ( account_id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS access_keys ( access_key_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS scheduled_accounts (account_id TEXT PRIMARY KEY)',
    'CREATE TABLE IF NOT EXISTS function_url_ids ( url_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL)',
  ],
  FUNCTIONS: [
    'CREATE TABLE IF NOT EXISTS functions (name TEXT PRIMARY KEY, record TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS function_urls ( function_name TEXT NOT NULL, qualifier TEXT NOT NULL, url_id TEXT NOT NULL UNIQUE, config TEXT NOT NULL, PRIMARY KEY (function_name, qualifier))',
    'CREATE TABLE IF NOT EXISTS function_policies ( function_name TEXT NOT NULL, qualifier TEXT NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (function_name, qualifier))',
    'CREATE TABLE IF NOT EXISTS versions ( name TEXT NOT NULL, version INTEGER NOT NULL, code_key TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, version))',
    'CREATE TABLE IF NOT EXISTS version_counters (name TEXT PRIMARY KEY, last_version INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS aliases (name TEXT NOT NULL, alias TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, alias))',
  ],
  LOGS: [
    'CREATE TABLE IF NOT EXISTS log_events ( id INTEGER PRIMARY KEY AUTOINCREMENT, log_group TEXT NOT NULL, log_stream TEXT NOT NULL, timestamp INTEGER NOT NULL, ingestion_time INTEGER NOT NULL, message TEXT NOT NULL)',
    'CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (log_group, log_stream, timestamp)',
    'CREATE INDEX IF NOT EXISTS log_events_by_time ON log_events (log_group, timestamp, id)',
    'CREATE TABLE IF NOT EXISTS log_groups ( name TEXT PRIMARY KEY, creation_time INTEGER NOT NULL, retention_days INTEGER)',
    'CREATE TABLE IF NOT EXISTS log_streams ( log_group TEXT NOT NULL, name TEXT NOT NULL, creation_time INTEGER NOT NULL, PRIMARY KEY (log_group, name))',
  ],
  CONCURRENCY: [
    'CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS reservations (function_name TEXT PRIMARY KEY, reserved INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS leases (lease_id TEXT PRIMARY KEY, function_name TEXT NOT NULL, from_reservation INTEGER NOT NULL, expires_at INTEGER NOT NULL)',
  ],
  QUEUES: [
    'CREATE TABLE IF NOT EXISTS queues (name TEXT PRIMARY KEY, settings TEXT NOT NULL, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS messages ( seq INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, attributes TEXT NOT NULL, md5_body TEXT NOT NULL, md5_attributes TEXT, sender_id TEXT NOT NULL, sent_at INTEGER NOT NULL, visible_at INTEGER NOT NULL, receive_count INTEGER NOT NULL DEFAULT 0, first_received_at INTEGER, receipt_handle TEXT)',
    'CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (queue, visible_at)',
    'CREATE INDEX IF NOT EXISTS messages_by_receipt ON messages (receipt_handle)',
  ],
  METRICS: [
    'CREATE TABLE IF NOT EXISTS series_points (function_name TEXT NOT NULL, metric TEXT NOT NULL, period_s INTEGER NOT NULL, start_ms INTEGER NOT NULL, count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, PRIMARY KEY (function_name, metric, period_s, start_ms))',
    'CREATE TABLE IF NOT EXISTS series_buckets (function_name TEXT NOT NULL, metric TEXT NOT NULL, period_s INTEGER NOT NULL, start_ms INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (function_name, metric, period_s, start_ms, bucket))',
    'CREATE INDEX IF NOT EXISTS series_points_by_time ON series_points (start_ms)',
    'CREATE INDEX IF NOT EXISTS series_buckets_by_time ON series_buckets (start_ms)',
    'CREATE TABLE IF NOT EXISTS counters (function_name TEXT NOT NULL, metric TEXT NOT NULL, count INTEGER NOT NULL, sum REAL NOT NULL, PRIMARY KEY (function_name, metric))',
    'CREATE TABLE IF NOT EXISTS usage_invocations (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, function_name TEXT NOT NULL, month TEXT NOT NULL, at_ms INTEGER NOT NULL, billed_ms INTEGER NOT NULL, memory_mb INTEGER NOT NULL, mb_ms INTEGER NOT NULL, free_requests INTEGER NOT NULL, free_mb_ms INTEGER NOT NULL)',
    'CREATE INDEX IF NOT EXISTS usage_by_function ON usage_invocations (function_name, month, id)',
    'CREATE INDEX IF NOT EXISTS usage_by_month ON usage_invocations (month, id)',
    'CREATE INDEX IF NOT EXISTS usage_by_request ON usage_invocations (request_id)',
    'CREATE TABLE IF NOT EXISTS usage_months (month TEXT NOT NULL, function_name TEXT NOT NULL, requests INTEGER NOT NULL, mb_ms INTEGER NOT NULL, free_requests INTEGER NOT NULL, free_mb_ms INTEGER NOT NULL, PRIMARY KEY (month, function_name))',
  ],
  TRACES: [
    'CREATE TABLE IF NOT EXISTS traces ( id TEXT PRIMARY KEY, start_time REAL NOT NULL, end_time REAL NOT NULL)',
    'CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_time, id)',
    'CREATE INDEX IF NOT EXISTS traces_by_end ON traces (end_time)',
    'CREATE TABLE IF NOT EXISTS segments ( trace_id TEXT NOT NULL, id TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (trace_id, id))',
  ],
  SCHEDULES: [
    'CREATE TABLE IF NOT EXISTS owner (account_id TEXT NOT NULL, region TEXT NOT NULL, indexed INTEGER NOT NULL DEFAULT 0)',
    'CREATE TABLE IF NOT EXISTS rules (name TEXT PRIMARY KEY, schedule_expression TEXT NOT NULL, state TEXT NOT NULL, description TEXT, anchor_ms INTEGER NOT NULL, next_fire_ms INTEGER)',
    'CREATE TABLE IF NOT EXISTS targets (rule_name TEXT NOT NULL, target_id TEXT NOT NULL, arn TEXT NOT NULL, function_name TEXT NOT NULL, input TEXT, PRIMARY KEY (rule_name, target_id))',
    'CREATE TABLE IF NOT EXISTS outbox (request_id TEXT PRIMARY KEY, function_name TEXT NOT NULL, event_json TEXT NOT NULL, created_ms INTEGER NOT NULL)',
  ],
  EVENT_SOURCE_MAPPINGS: [
    'CREATE TABLE IF NOT EXISTS mappings (uuid TEXT PRIMARY KEY, function_name TEXT NOT NULL, event_source_arn TEXT NOT NULL, record TEXT NOT NULL)',
  ],
};

const FUTURE_MS = Date.UTC(2099, 0, 1);
const functionRecord = JSON.stringify({
  name: 'legacy', runtime: 'nodejs22.x', handler: 'index.handler', role: 'arn:aws:iam::123456789012:role/r', description: '',
  timeoutSeconds: 3, memorySizeMb: 128, environment: {}, tracingMode: 'PassThrough', codeSha256: 'sha', codeSize: 10,
  codeKey: 'code/legacy.zip', revisionId: 'r1', lastModified: '2026-01-01T00:00:00.000+0000',
});

/** One row in every table, written as the code before the storage kit wrote them. */
export const LEGACY_ROWS: Record<ObjectBinding, string[]> = {
  ACCOUNTS: [
    "INSERT INTO accounts VALUES ('123456789012', 'legacy', '2026-01-01T00:00:00.000Z')",
    "INSERT INTO access_keys VALUES ('AKIALEGACY0000000000', '123456789012', 'secret', '2026-01-01T00:00:00.000Z')",
    "INSERT INTO scheduled_accounts VALUES ('123456789012')",
    "INSERT INTO function_url_ids VALUES ('legacyurlid', '123456789012', 'legacy', '')",
  ],
  FUNCTIONS: [
    `INSERT INTO functions VALUES ('legacy', '${functionRecord}')`,
    `INSERT INTO versions VALUES ('legacy', 1, 'code/legacy.zip', '${JSON.stringify({ ...JSON.parse(functionRecord), version: '1', publishedFromRevisionId: 'r1' })}')`,
    "INSERT INTO version_counters VALUES ('legacy', 1)",
    `INSERT INTO aliases VALUES ('legacy', 'live', '${JSON.stringify({ name: 'live', functionVersion: '1', description: '', revisionId: 'a1' })}')`,
    `INSERT INTO function_urls VALUES ('legacy', '', 'legacyurlid', '${JSON.stringify({ urlId: 'legacyurlid', functionName: 'legacy', qualifier: '', authType: 'NONE', invokeMode: 'BUFFERED', creationTime: 't', lastModifiedTime: 't' })}')`,
    `INSERT INTO function_policies VALUES ('legacy', '', '${JSON.stringify({ statements: [{ Sid: 's', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: 'r' }], revisionId: 'p1' })}')`,
  ],
  LOGS: [
    "INSERT INTO log_events (log_group, log_stream, timestamp, ingestion_time, message) VALUES ('/aws/lambda/legacy', 's', 1, 1, 'hello')",
    "INSERT INTO log_groups VALUES ('/aws/lambda/legacy', 1, NULL)",
    "INSERT INTO log_streams VALUES ('/aws/lambda/legacy', 's', 1)",
  ],
  CONCURRENCY: [
    "INSERT INTO settings VALUES ('account_limit', 500)",
    "INSERT INTO reservations VALUES ('legacy', 5)",
    `INSERT INTO leases VALUES ('lease-1', 'legacy', 1, ${FUTURE_MS})`,
  ],
  QUEUES: [
    `INSERT INTO queues VALUES ('legacy-q', '${JSON.stringify({ visibilityTimeoutSeconds: 30, messageRetentionSeconds: 345600, delaySeconds: 0, receiveWaitTimeSeconds: 0, maximumMessageBytes: 262144 })}', 1, 1)`,
    `INSERT INTO messages (queue, id, body, attributes, md5_body, sender_id, sent_at, visible_at) VALUES ('legacy-q', 'm1', 'body', '{}', 'md5', 'sender', ${FUTURE_MS}, ${FUTURE_MS})`,
  ],
  METRICS: [
    "INSERT INTO series_points VALUES ('legacy', 'Duration', 60, 0, 1, 5, 5, 5)",
    "INSERT INTO series_buckets VALUES ('legacy', 'Duration', 60, 0, 3, 1)",
    "INSERT INTO counters VALUES ('legacy', 'Invocations', 1, 1)",
    "INSERT INTO usage_invocations (request_id, function_name, month, at_ms, billed_ms, memory_mb, mb_ms, free_requests, free_mb_ms) VALUES ('r', 'legacy', '2026-01', 0, 5, 128, 640, 1, 640)",
    "INSERT INTO usage_months VALUES ('2026-01', 'legacy', 1, 640, 1, 640)",
  ],
  TRACES: [
    `INSERT INTO traces VALUES ('1-legacy', ${FUTURE_MS / 1000}, ${FUTURE_MS / 1000})`,
    `INSERT INTO segments VALUES ('1-legacy', 'seg', '${JSON.stringify({ id: 'seg', trace_id: '1-legacy', name: 'legacy', start_time: FUTURE_MS / 1000, end_time: FUTURE_MS / 1000 })}')`,
  ],
  SCHEDULES: [
    "INSERT INTO owner (account_id, region) VALUES ('123456789012', 'us-east-1')",
    "INSERT INTO rules VALUES ('legacy', 'rate(1 day)', 'DISABLED', NULL, 0, NULL)",
    "INSERT INTO targets VALUES ('legacy', 't', 'arn:aws:lambda:us-east-1:123456789012:function:legacy', 'legacy', NULL)",
    `INSERT INTO outbox VALUES ('req', 'legacy', '{}', ${FUTURE_MS})`,
  ],
  EVENT_SOURCE_MAPPINGS: [
    `INSERT INTO mappings VALUES ('uuid-1', 'legacy', 'arn:aws:sqs:us-east-1:123456789012:legacy-q', '${JSON.stringify({ uuid: 'uuid-1', functionName: 'legacy', enabled: false })}')`,
  ],
};
