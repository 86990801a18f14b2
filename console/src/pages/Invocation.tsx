// The Invocation page.
export function Invocation({ requestId }: { requestId: string }) {
  return <p class="muted">The invocation page for {requestId} is not built yet.</p>;
}
