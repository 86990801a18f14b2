// The playground's answers on the wire (docs/PLAYGROUND.md): a sandbox's times as ISO strings.
import type { SandboxRecord } from '../../records/playground';
import type { SandboxSession } from '../../services/playground/sandboxes';

const iso = (ms: number) => new Date(ms).toISOString();

/** GET /api/sandbox and the admin list: { AccountId, CreatedAt, LastActiveAt, EndsAt, EndsBecause }. */
export function renderSandbox(sandbox: SandboxRecord) {
  return {
    AccountId: sandbox.accountId,
    CreatedAt: iso(sandbox.createdMs),
    LastActiveAt: iso(sandbox.lastActiveMs),
    EndsAt: iso(sandbox.endsMs),
    EndsBecause: sandbox.endsBecause,
  };
}

/** Creation and a resumed session: { Sandbox: { AccountId, CreatedAt, EndsAt }, AccessKey, Region }. */
export function renderSession(session: SandboxSession) {
  return {
    Sandbox: { AccountId: session.sandbox.accountId, CreatedAt: iso(session.sandbox.createdMs), EndsAt: iso(session.sandbox.endsMs) },
    AccessKey: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey },
    Region: session.region,
  };
}
