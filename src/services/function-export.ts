// Export of a function (docs/PLAYGROUND.md, "Export"): one zip with its code files as
// uploaded, its configuration (GetFunctionConfiguration's answer, variables' values included: they
// are the owner's), its saved test events, its own egress rules (egress.json) and recreate.sh, a POSIX sh script of `aws lambda`
// commands that recreates it on AWS Lambda or on another faasbox. Also the code reader shares use.
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { RecreatableConfiguration } from '../playground/share-snapshot';
import type { FunctionEgress, FunctionRecord } from '../records/function';
import type { Caller } from '../function-names';
import { listTestEvents } from './test-events';

/** What the export reads of GetFunctionConfiguration's answer (src/api/lambda/function-config.ts renders it). */
export interface ExportedConfiguration extends RecreatableConfiguration {
  Environment?: { Variables?: Record<string, string>; Error?: unknown };
  KMSKeyArn?: string;
  DeadLetterConfig?: { TargetArn: string };
  Layers?: { Arn: string }[];
  LoggingConfig?: { LogFormat: string; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup: string };
}

/** The files of the function's zip by path (directories left out), as uploaded. */
export async function readCodeFiles(env: Env, record: FunctionRecord): Promise<Record<string, Uint8Array>> {
  const object = await env.CODE.get(record.codeKey);
  if (!object) throw new Error(`code bundle ${record.codeKey} is missing`);
  return unzipSync(new Uint8Array(await object.arrayBuffer()), { filter: (file) => !file.name.endsWith('/') });
}

/**
 * The export zip of `record` ($LATEST) with `configuration`, its rendering. Test events that
 * cannot be decrypted are left out (recreate.sh names them).
 */
export async function exportFunction(env: Env, caller: Caller, record: FunctionRecord, configuration: ExportedConfiguration): Promise<Uint8Array> {
  const code = await readCodeFiles(env, record);
  const events = await listTestEvents(env, caller, record.name);
  const encode = (text: string) => new TextEncoder().encode(text);
  const files: Zippable = {};
  for (const [path, bytes] of Object.entries(code)) files[`code/${path}`] = bytes;
  files['configuration.json'] = encode(`${JSON.stringify(configuration, null, 2)}\n`);
  // faasbox's own egress rules (no Lambda member holds them): the body of PUT /api/functions/<name>/egress.
  if (record.egress) files['egress.json'] = encode(`${JSON.stringify(egressRequest(record.egress), null, 2)}\n`);
  const unreadable: string[] = [];
  for (const event of events) {
    if ('event' in event) files[`test-events/${event.name}.json`] = encode(event.event);
    else unreadable.push(event.name);
  }
  // Executable (unix mode 0755), so `./recreate.sh` works after unzip.
  files['recreate.sh'] = [encode(recreateScript(configuration, events.filter((e) => 'event' in e).map((e) => e.name), unreadable, record.egress !== undefined)), { os: 3, attrs: 0o100755 << 16 }];
  return zipSync(files);
}

/** Stored rules as the egress API takes them. */
function egressRequest(egress: FunctionEgress) {
  return { Mode: egress.mode, Allow: egress.allow, Deny: egress.deny };
}

/**
 * A LoggingConfig other than Lambda's default (Text to /aws/lambda/<name>), which create-function
 * is not given: Debian's AWS CLI 2.9 does not know --logging-config, and would refuse the script.
 */
function loggingNotRecreated(config: ExportedConfiguration): string[] {
  const logging = config.LoggingConfig;
  if (!logging || (logging.LogFormat === 'Text' && logging.LogGroup === `/aws/lambda/${config.FunctionName}`)) return [];
  const members = Object.entries(logging).map(([member, value]) => `${member}=${value}`).join(',');
  return [`logging config (update-function-configuration --logging-config ${members}, with a CLI that knows it: 2.13 or newer)`];
}

/** `text` as one sh word: single-quoted, its own single quotes closed, escaped and reopened. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * recreate.sh: zips code/ again and calls create-function with every setting AWS Lambda and
 * faasbox both take. What it cannot recreate (targets in the exporting account, URLs, aliases,
 * versions, triggers, schedules) is named in its comments instead.
 */
export function recreateScript(config: ExportedConfiguration, testEvents: string[], unreadableTestEvents: string[], hasEgressRules = false): string {
  const variables = config.Environment?.Variables ?? {};
  const options = [
    `--runtime ${shellWord(config.Runtime)}`,
    `--handler ${shellWord(config.Handler)}`,
    '--role "$ROLE_ARN"',
    `--memory-size ${config.MemorySize}`,
    `--timeout ${config.Timeout}`,
    ...(config.Description ? [`--description ${shellWord(config.Description)}`] : []),
    `--tracing-config Mode=${config.TracingConfig.Mode}`,
    `--ephemeral-storage Size=${config.EphemeralStorage.Size}`,
    `--architectures ${config.Architectures.join(' ')}`,
    ...(Object.keys(variables).length > 0 ? [`--environment ${shellWord(JSON.stringify({ Variables: variables }))}`] : []),
    '--zip-file fileb://function.zip',
  ];
  const notRecreated = [
    ...(config.DeadLetterConfig ? [`dead-letter queue ${config.DeadLetterConfig.TargetArn} (a queue of the exporting account: create your own and run update-function-configuration --dead-letter-config TargetArn=<its ARN>)`] : []),
    ...(config.KMSKeyArn ? [`KMSKeyArn ${config.KMSKeyArn} (a key of the exporting account)`] : []),
    ...(config.Layers?.length ? [`layers ${config.Layers.map((layer) => layer.Arn).join(' ')} (versions of the exporting account the code may need: publish their content in yours and run update-function-configuration --layers <their ARNs>)`] : []),
    ...loggingNotRecreated(config),
    ...(config.Environment?.Error ? ['environment variables (faasbox could not decrypt them)'] : []),
    ...unreadableTestEvents.map((name) => `test event ${name} (faasbox could not decrypt it)`),
    ...(hasEgressRules ? ['egress rules, in egress.json (faasbox\'s own: on another faasbox, PUT that file to /api/functions/<name>/egress; AWS Lambda has no such setting)'] : []),
    'async invocation settings and destinations, function URLs, aliases, published versions, resource policies,',
    'reserved concurrency, queue triggers and schedules: they name resources of the exporting account.',
  ];
  return [
    '#!/bin/sh',
    `# Recreates the function ${config.FunctionName}, as exported from faasbox, with the AWS CLI v2.`,
    '#',
    '#   ROLE_ARN=arn:aws:iam::<account>:role/<role> ./recreate.sh        on AWS Lambda (an execution role of yours)',
    '#   ROLE_ARN=... ENDPOINT=https://faasbox.example ./recreate.sh     on another faasbox (its origin)',
    '#',
    '# The credentials are the AWS CLI\'s own (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, or',
    '# a profile). ENDPOINT is passed as --endpoint-url: AWS CLI 2.9 (Debian\'s) ignores AWS_ENDPOINT_URL.',
    `# FUNCTION_NAME overrides the name (${config.FunctionName}).`,
    '#',
    '# The environment variables below are the exported function\'s values: keep this file private.',
    '# Not recreated by this script:',
    ...notRecreated.map((line) => `#   ${line}`),
    ...(testEvents.length > 0 ? [
      '# Saved test events are in test-events/ (the CLI cannot save them; the faasbox console\'s Test tab can). Invoke with one:',
      '#   aws lambda invoke --function-name "$FUNCTION_NAME" --payload fileb://test-events/<name>.json response.json',
    ] : []),
    'set -eu',
    ': "${ROLE_ARN:?set ROLE_ARN to the ARN of the execution role the function runs with}"',
    `FUNCTION_NAME="\${FUNCTION_NAME:-${config.FunctionName}}"`,
    'cd "$(dirname "$0")"',
    'set --',
    'if [ -n "${ENDPOINT:-}" ]; then set -- --endpoint-url "$ENDPOINT"; fi',
    'rm -f function.zip',
    '# The code exactly as exported: code/ is the root of the zip.',
    'if command -v zip >/dev/null 2>&1; then',
    '  (cd code && zip -q -r -X ../function.zip .)',
    'else',
    '  (cd code && python3 -m zipfile -c ../function.zip $(ls -A))',
    'fi',
    'aws "$@" lambda create-function \\',
    '  --function-name "$FUNCTION_NAME" \\',
    ...options.map((option, i) => `  ${option}${i < options.length - 1 ? ' \\' : ''}`),
    '',
  ].join('\n');
}
