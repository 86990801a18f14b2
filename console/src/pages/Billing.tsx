// The Billing page.
export function Billing() {
  return <p class="muted">The Billing page is not built yet.</p>;
}
