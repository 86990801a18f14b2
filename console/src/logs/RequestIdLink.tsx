// A request id as a link to its invocation page: every request id the console shows uses this.

/** The invocation page of `requestId` (of `functionName`, whose logs and traces it reads). */
export function invocationHref(requestId: string, functionName: string): string {
  return `/console/invocations/${encodeURIComponent(requestId)}?function=${encodeURIComponent(functionName)}`;
}

export function RequestIdLink({ requestId, functionName, hash, children }: { requestId: string; functionName: string; hash?: string; children?: preact.ComponentChildren }) {
  return <a class="mono request-id" href={invocationHref(requestId, functionName) + (hash ? `#${hash}` : '')}>{children ?? requestId}</a>;
}
