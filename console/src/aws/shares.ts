// Shares as the console calls them: create one of a function (signed, POST
// /api/functions/<name>/shares), read one by its token (public, GET /api/playground/shares/<token>),
// and the snapshot's wire shape (docs/PLAYGROUND-SHARES.md).
import type { InvocationUsage, Prices } from './invoke';
import { errorOf, restJson } from './client';

export interface ShareSnapshot {
  FormatVersion: number;
  CreatedAt: string;
  ExpiresAt: string;
  Function: {
    FunctionName: string;
    Runtime: string;
    Handler: string;
    Description: string;
    Timeout: number;
    MemorySize: number;
    TracingConfig: { Mode: 'Active' | 'PassThrough' };
    EphemeralStorage: { Size: number };
    Architectures: string[];
    CodeSha256: string;
    CodeSize: number;
    LastModified: string;
    /** Names only: a share never carries the values. */
    EnvironmentVariableNames: string[];
  };
  Code: { Files: { Path: string; Content: string }[]; OmittedFiles: { Path: string; Bytes: number }[] };
  TestEvents: { Name: string; Event: string }[];
  Invocations: { RequestId: string; LogLines: { Timestamp: number; LogStreamName: string; Message: string }[]; Attempts: InvocationUsage[] }[];
  Prices: Prices;
}

export interface CreatedShare {
  Token: string;
  Path: string;
  ExpiresAt: string;
}

export function createShare(functionName: string, choice: { TestEvents: string[]; Invocations: string[] }): Promise<CreatedShare> {
  return restJson('POST', `/api/functions/${encodeURIComponent(functionName)}/shares`, choice);
}

/** The snapshot of `token`; throws ApiError (404 for an unknown or expired share). Unsigned: anyone with the link reads it. */
export async function getShare(token: string): Promise<ShareSnapshot> {
  const response = await fetch(`/api/playground/shares/${encodeURIComponent(token)}`);
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as ShareSnapshot;
}
