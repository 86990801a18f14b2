// Fork of a share: a new sandbox (the proof of work and POST /api/playground/sandboxes, as Try it
// now), then, with its keys, the shared function recreated from the snapshot (its text files
// zipped here, its configuration, its variables by name with empty values) and its test events
// saved; resolves to the new function's Test tab.
import { base64Of, zipBundle } from '../aws/code';
import { restJson } from '../aws/client';
import { defaultRoleArn } from '../aws/create';
import type { ShareSnapshot } from '../aws/shares';
import { saveTestEvent } from '../aws/test-events';
import { startSandbox, type SandboxPhase } from './sandbox-session';

export type ForkPhase = SandboxPhase | { step: 'function' } | { step: 'test-events' };

export async function forkShare(snapshot: ShareSnapshot, onPhase: (phase: ForkPhase) => void): Promise<string> {
  // A new sandbox exactly as Try it now makes one (challenge, proof of work, creation, keys in memory).
  const session = await startSandbox(onPhase);

  onPhase({ step: 'function' });
  const fn = snapshot.Function;
  const zip = zipBundle(snapshot.Code.Files.map((f) => ({ path: f.Path, text: f.Content })));
  const names = fn.EnvironmentVariableNames;
  await restJson('POST', '/2015-03-31/functions', {
    FunctionName: fn.FunctionName,
    Runtime: fn.Runtime,
    Handler: fn.Handler,
    Role: defaultRoleArn(session.Sandbox.AccountId),
    Description: fn.Description,
    MemorySize: fn.MemorySize,
    Timeout: fn.Timeout,
    TracingConfig: fn.TracingConfig,
    // The share names its variables but never carries their values: the fork's are empty, to fill in.
    ...(names.length > 0 ? { Environment: { Variables: Object.fromEntries(names.map((name) => [name, ''])) } } : {}),
    Code: { ZipFile: base64Of(zip) },
  });
  onPhase({ step: 'test-events' });
  for (const event of snapshot.TestEvents) await saveTestEvent(fn.FunctionName, event.Name, event.Event);
  return `/console/functions/${encodeURIComponent(fn.FunctionName)}/test`;
}
