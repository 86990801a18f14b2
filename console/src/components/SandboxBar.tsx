// The header strip of a playground sandbox: its badge, the time left (counting down to EndsAt, and
// which end applies: idle or its lifetime), its usage against each cap (the cost meter red past the
// cap), its keys behind "Show keys" (for the AWS CLI), "End sandbox now"; 10 minutes before the
// end a warning with Export; and once it has ended, a plain notice with Try it now again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import '../styles/playground.css';
import { ApiError } from '../aws/client';
import { exportFunction, getSandboxStatus, getSandboxUsage, timeMs, type QuotaUsage, type SandboxStatus, type SandboxUsage } from '../aws/playground';
import { endSandboxNow } from '../playground/sandbox-session';
import { sandboxEnd, sandboxInvocations } from '../playground/state';
import { credentials, region } from '../session';
import { formatBytes } from '../format';
import { CliHint } from './CliHint';
import { ErrorBanner } from './ErrorBanner';
import { TryItNow } from './TryItNow';

/**
 * Status and usage are asked again this often, while the tab is visible and only after the
 * visitor did something (a key, a click): every signed request counts as activity, so polling an
 * untouched tab would keep an idle sandbox alive. The countdown itself runs locally from EndsAt.
 */
const REFRESH_EVERY_MS = 30_000;
/** After an invocation, usage is asked once this long after the last one (a burst asks once). */
const AFTER_INVOCATION_MS = 1_500;
/** The end warning shows this long before EndsAt. */
const WARN_BEFORE_MS = 10 * 60_000;
/** Meters shown in the strip itself (the fullest ones); the rest behind "All limits". */
const METERS_IN_STRIP = 2;

/** 1:02:03 or 12:34. */
function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "InvocationsThisMinute" as "Invocations this minute", "FunctionUrls" as "Function URLs". */
export function quotaLabel(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
  return words.map((w, i) => (w === 'Urls' ? 'URLs' : i === 0 ? w : w.toLowerCase())).join(' ');
}

/** Dollars with as many decimals as a small cost needs (up to 8), never in exponent form. */
function dollars(value: number): string {
  return `$${value.toFixed(8).replace(/0+$/, '').replace(/\.$/, '')}`;
}

function amount(value: number, unit: string): string {
  return /byte/i.test(unit) ? formatBytes(value) : new Intl.NumberFormat('en-US').format(value);
}

/** A cap's meter; `compact` (in the strip) shows "used/limit", the full wording stays its accessible name. */
function QuotaMeter({ quota, compact = false }: { quota: QuotaUsage; compact?: boolean }) {
  const text = `${amount(quota.Used, quota.Unit)} of ${amount(quota.Limit, quota.Unit)}${/byte/i.test(quota.Unit) ? '' : ` ${quota.Unit}`}`;
  const label = quotaLabel(quota.Name);
  return (
    <span class="sandbox-meter">
      <span class="sandbox-meter-name">{label}</span>
      <meter min={0} max={quota.Limit} value={Math.min(quota.Used, quota.Limit)} low={quota.Limit * 0.7} high={quota.Limit * 0.9} optimum={0} aria-label={`${label}: ${text}`} />
      <span class="sandbox-meter-text" aria-hidden={compact}>{compact ? `${amount(quota.Used, quota.Unit)}/${amount(quota.Limit, quota.Unit)}` : text}</span>
    </span>
  );
}

function CostMeter({ cost }: { cost: SandboxUsage['Cost'] }) {
  const used = Number(cost.UsedUsd);
  const cap = Number(cost.CapUsd);
  const text = `${dollars(used)} of ${dollars(cap)}`;
  return (
    <span class={`sandbox-meter cost${cost.Exceeded ? ' exceeded' : ''}`}>
      <span class="sandbox-meter-name">Cost</span>
      {/* Past the cap the meter is full and in its "high" (red) range. */}
      <meter min={0} max={cap} value={cost.Exceeded ? cap : Math.min(used, cap)} low={cap * 0.7} high={cap * 0.9} optimum={0} aria-label={`Cost: ${text}${cost.Exceeded ? ', cap reached' : ''}`} />
      <span class="sandbox-meter-text">{text}{cost.Exceeded ? ': cap reached, invocations refused' : ''}</span>
    </span>
  );
}

/** The function the page shows, if any (for Export). */
function functionInView(url: string): string | undefined {
  const match = /^\/console\/functions\/([^/?#]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}

export function SandboxBar() {
  const { url, route } = useLocation();
  const keys = credentials.value;
  const [status, setStatus] = useState<SandboxStatus>();
  const [usage, setUsage] = useState<SandboxUsage | 'unavailable'>();
  const [now, setNow] = useState(Date.now());
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [exportNote, setExportNote] = useState<string>();
  const inFlight = useRef(false);
  const usageUnavailable = useRef(false);
  const usedSinceRefresh = useRef(false);

  const refresh = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    usedSinceRefresh.current = false;
    try {
      const [nextStatus, nextUsage] = await Promise.allSettled([getSandboxStatus(), usageUnavailable.current ? Promise.resolve(undefined) : getSandboxUsage()]);
      if (nextStatus.status === 'fulfilled') setStatus(nextStatus.value);
      if (nextUsage.status === 'fulfilled' && nextUsage.value) setUsage(nextUsage.value);
      // A server without the usage route (404) is not asked again.
      if (nextUsage.status === 'rejected' && nextUsage.reason instanceof ApiError && nextUsage.reason.status === 404) {
        usageUnavailable.current = true;
        setUsage('unavailable');
      }
    } finally {
      inFlight.current = false;
    }
  };

  useEffect(() => {
    void refresh();
    const used = () => { usedSinceRefresh.current = true; };
    window.addEventListener('pointerdown', used);
    window.addEventListener('keydown', used);
    const poll = setInterval(() => { if (!document.hidden && usedSinceRefresh.current) void refresh(); }, REFRESH_EVERY_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(poll);
      clearInterval(tick);
      window.removeEventListener('pointerdown', used);
      window.removeEventListener('keydown', used);
    };
  }, [keys?.accessKeyId]);

  // After invocations, once they pause.
  const invocations = sandboxInvocations.value;
  useEffect(() => {
    if (invocations === 0) return;
    const timer = setTimeout(() => void refresh(), AFTER_INVOCATION_MS);
    return () => clearTimeout(timer);
  }, [invocations]);

  const endsAtMs = status ? timeMs(status.EndsAt) : undefined;
  const leftMs = endsAtMs === undefined ? undefined : endsAtMs - now;
  // At the end, ask once: a 403 for the keys marks the sandbox ended (aws/client.ts).
  const askedAtEnd = useRef(false);
  useEffect(() => {
    if (leftMs !== undefined && leftMs <= 0 && !askedAtEnd.current) {
      askedAtEnd.current = true;
      void refresh();
    }
    if (leftMs !== undefined && leftMs > 0) askedAtEnd.current = false;
  }, [leftMs !== undefined && leftMs <= 0]);

  if (!keys) return null;
  const fn = functionInView(url);
  const idle = status?.EndsBecause === 'idle';

  const end = async () => {
    setActionError(undefined);
    try {
      await endSandboxNow();
      route('/');
    } catch (error) {
      setActionError(error);
    }
  };
  const download = async () => {
    if (!fn) return;
    setActionError(undefined);
    setExportNote(undefined);
    try {
      const zip = await exportFunction(fn);
      const href = URL.createObjectURL(zip);
      const link = document.createElement('a');
      link.href = href;
      link.download = `${fn}.zip`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(href), 1000);
      setExportNote(`Downloaded ${fn}.zip: its code, configuration, test events and recreate.sh.`);
    } catch (error) {
      setActionError(error);
      if (error instanceof ApiError && error.status === 404) setExportNote('This server may not offer export yet: copy your code from the Code tab.');
    }
  };

  // Ending deletes everything: one more click confirms it (in the strip and in the warning alike).
  const endControl = confirmEnd ? (
    <>
      <span>Delete everything in it now?</span>
      <button type="button" class="button small danger" onClick={() => void end()}>Yes, end it</button>
      <button type="button" class="button small" onClick={() => setConfirmEnd(false)}>Cancel</button>
    </>
  ) : (
    <button type="button" class="button small" onClick={() => setConfirmEnd(true)}>End sandbox now</button>
  );
  const quotas = usage && usage !== 'unavailable' ? [...usage.Quotas].sort((a, b) => b.Used / (b.Limit || 1) - a.Used / (a.Limit || 1)) : [];
  return (
    <>
      <div class="sandbox-bar" role="region" aria-label="Playground sandbox">
        <span class="sandbox-badge">Playground sandbox</span>
        <span class="sandbox-time" title={idle ? 'Any action in the console (a test, a save, opening a page) resets the idle timer.' : 'A sandbox lives at most this long, active or not.'}>
          {leftMs === undefined ? 'Time left: …' : `${clock(leftMs)} left`}
          {status && <span class="sandbox-time-why">{idle ? ' · ends when idle' : ' · lifetime limit'}</span>}
        </span>
        <span class="sandbox-meters">
          {usage === 'unavailable' && <span class="hint">Usage is not available on this server yet.</span>}
          {usage && usage !== 'unavailable' && <CostMeter cost={usage.Cost} />}
          {quotas.slice(0, METERS_IN_STRIP).map((q) => <QuotaMeter key={q.Name} quota={q} compact />)}
        </span>
        <span class="sandbox-actions">
          {quotas.length > METERS_IN_STRIP && (
            <details class="sandbox-all-limits">
              <summary>All limits ({quotas.length})</summary>
              <div class="sandbox-limits-panel">{quotas.map((q) => <QuotaMeter key={q.Name} quota={q} />)}</div>
            </details>
          )}
          <CliHint label="Show keys" keysNote={false} command={`export AWS_ACCESS_KEY_ID=${keys.accessKeyId} AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey} AWS_REGION=${region}`} />
          <span class="sandbox-end">{endControl}</span>
        </span>
      </div>
      {leftMs !== undefined && leftMs <= WARN_BEFORE_MS && leftMs > 0 && (
        <div class="banner sandbox-warning" role="status">
          <p>
            <strong>This sandbox ends in {clock(leftMs)}</strong>{idle ? ' unless you use it: ' : ' (its lifetime limit): '}
            {idle ? 'any action here (a test, a save, opening a page) keeps it alive.' : 'it cannot be extended.'}
            {' '}Then its functions, logs and keys are deleted. Export what you want to keep.
          </p>
          <p class="sandbox-warning-actions">
            {fn ? <button type="button" class="button small" onClick={() => void download()}>Export {fn}</button> : <span class="hint">Open a function to export it.</span>}
            {endControl}
          </p>
        </div>
      )}
      {exportNote && <p class="banner ok" role="status">{exportNote}</p>}
      <ErrorBanner error={actionError} />
    </>
  );
}

/** Shown once the page learned that its sandbox has ended; `withButton` false where the page has its own Try it now. */
export function SandboxEnded({ withButton }: { withButton: boolean }) {
  const why = sandboxEnd.value;
  if (!why) return null;
  return (
    <div class="banner notice sandbox-ended" role="status">
      <p><strong>{why === 'ended-by-you' ? 'You ended your playground sandbox.' : 'Your playground sandbox has ended.'}</strong> Its functions, logs and keys are deleted.{withButton ? ' Start a new one in one click:' : ' Try it now starts a new one.'}</p>
      {withButton && <TryItNow label="Try it now again" />}
    </div>
  );
}
