// An API's refusal shown as it answered: code and message, as text (never HTML).
import { ApiError } from '../aws/client';

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="banner error" role="alert">
      <strong>{code}</strong> {message}
    </div>
  );
}
