// Turnstile, the optional production layer in front of sandbox creation: with FAASBOX_TURNSTILE_SECRET
// set, the landing page's token is checked with Cloudflare's siteverify (docs/PLAYGROUND.md).

const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

/** Whether siteverify accepts `token`; a network failure or an unreadable answer is a refusal. */
export async function verifyTurnstileToken(secret: string, token: string, address: string | undefined): Promise<boolean> {
  const form = new FormData();
  form.set('secret', secret);
  form.set('response', token);
  if (address) form.set('remoteip', address);
  try {
    const response = await fetch(SITEVERIFY_URL, { method: 'POST', body: form });
    if (!response.ok) return false;
    const answer = (await response.json()) as { success?: unknown };
    return answer.success === true;
  } catch (error) {
    console.error('Turnstile siteverify failed:', error);
    return false;
  }
}
