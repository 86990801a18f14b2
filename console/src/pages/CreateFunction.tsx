// The CreateFunction page.
export function CreateFunction() {
  return <p class="muted">The CreateFunction page is not built yet.</p>;
}
