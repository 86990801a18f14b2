// An invocation's result as the Test tab and the invocation page show it: outcome, response,
// the REPORT summary, the cost with its arithmetic (exact decimals), and the log output.
import type { Invocation, InvocationUsage, Prices, SyncInvocation } from '../../aws/invoke';
import type { ReportFigures } from '../../logs/log-line';
import { formatMs } from '../../format';
import { RequestIdLink } from '../../logs/RequestIdLink';

/** The response text as indented JSON when it is JSON, else as it came. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

interface FunctionErrorBody { errorType?: string; errorMessage?: string; trace?: string[] }

export function functionErrorOf(invocation: SyncInvocation): FunctionErrorBody | undefined {
  if (!invocation.functionError) return undefined;
  try {
    return JSON.parse(invocation.payload) as FunctionErrorBody;
  } catch {
    return { errorType: invocation.functionError, errorMessage: invocation.payload };
  }
}

/** Outcome, response or error, for a synchronous or an Event invocation. */
export function OutcomeView({ invocation, functionName }: { invocation: Invocation; functionName: string }) {
  if (invocation.type === 'Event') {
    return (
      <div class="banner ok" role="status">
        <strong>Accepted (HTTP {invocation.status})</strong>: the event was queued and runs asynchronously; its lines appear in the live logs.
        Request ID <RequestIdLink requestId={invocation.requestId} functionName={functionName} />
      </div>
    );
  }
  const error = functionErrorOf(invocation);
  if (error) {
    return (
      <>
        <div class="banner error" role="alert">
          <strong>Failed</strong>: the function returned an error ({invocation.functionError}).
        </div>
        <dl class="result-error">
          <dt>errorType</dt><dd class="mono">{error.errorType ?? ''}</dd>
          <dt>errorMessage</dt><dd class="mono">{error.errorMessage ?? ''}</dd>
        </dl>
        {error.trace && error.trace.length > 0 && (
          <>
            <h4>trace</h4>
            <pre class="code-block result-trace">{error.trace.join('\n')}</pre>
          </>
        )}
        <h4>Response</h4>
        <pre class="code-block result-body">{prettyJson(invocation.payload)}</pre>
      </>
    );
  }
  return (
    <>
      <div class="banner ok" role="status"><strong>Succeeded</strong> (HTTP {invocation.status})</div>
      <h4>Response</h4>
      <pre class="code-block result-body">{prettyJson(invocation.payload)}</pre>
    </>
  );
}

/** The summary: the REPORT line's figures beside the request id and the code's hash. */
export function SummaryView({ requestId, functionName, report, codeSha256, executedVersion }: { requestId: string; functionName: string; report?: ReportFigures; codeSha256?: string; executedVersion?: string }) {
  const row = (label: string, value: preact.ComponentChildren, wide = false) => (
    <div class={wide ? 'summary-item wide' : 'summary-item'}><dt>{label}</dt><dd>{value}</dd></div>
  );
  return (
    <dl class="summary-grid" aria-label="Summary">
      {row('Request ID', <RequestIdLink requestId={requestId} functionName={functionName} />, true)}
      {executedVersion !== undefined && row('Executed version', executedVersion)}
      {row('Init Duration', report?.initDurationMs !== undefined ? formatMs(report.initDurationMs) : report ? '— (warm start)' : '—')}
      {row('Duration', report ? formatMs(report.durationMs) : '—')}
      {row('Billed Duration', report ? `${report.billedDurationMs} ms` : '—')}
      {row('Memory Size', report ? `${report.memorySizeMb} MB` : '—')}
      {row('Max Memory Used', report ? `${report.maxMemoryUsedMb} MB` : '—')}
      {codeSha256 !== undefined && row('Code SHA-256', <span class="mono sha">{codeSha256}</span>, true)}
      {report?.status && row('Status', `${report.status}${report.errorType ? ` (${report.errorType})` : ''}`)}
    </dl>
  );
}

// Exact decimal arithmetic on the billing API's strings: BigInt with a scale.
interface Decimal { units: bigint; scale: number }
function decimal(text: string): Decimal {
  const [whole, fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}
function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}
function times(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}
function minus(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) - rescale(b, scale), scale };
}
function formatDecimal({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
const usd = (d: Decimal | string) => `$${typeof d === 'string' ? formatDecimal(decimal(d)) : formatDecimal(d)}`;

/** The cost of one invocation attempt, with the arithmetic that gives it. */
export function CostView({ usage, prices }: { usage: InvocationUsage; prices: Prices }) {
  const requestCost = { units: decimal(prices.PricePerMillionRequests).units, scale: decimal(prices.PricePerMillionRequests).scale + 6 };
  const durationCost = times(decimal(usage.GBSeconds), decimal(prices.PricePerGBSecond));
  const freeGbSeconds = decimal(usage.FreeTierGBSeconds);
  const billableGbSeconds = minus(decimal(usage.GBSeconds), freeGbSeconds);
  const covered = usage.Cost === '0' || decimal(usage.Cost).units === 0n;
  return (
    <div class="cost">
      <table class="cost-table">
        <caption class="visually-hidden">Cost of this invocation</caption>
        <tbody>
          <tr><th scope="row">Request</th><td>1 request × {usd(prices.PricePerMillionRequests)} per million</td><td class="amount">{usd(requestCost)}</td></tr>
          <tr><th scope="row">Duration</th><td>{formatDecimal(decimal(usage.GBSeconds))} GB-s ({usage.MemorySizeMB} MB ÷ 1024 × {usage.BilledDurationMs} ms ÷ 1000) × {usd(prices.PricePerGBSecond)} per GB-s</td><td class="amount">{usd(durationCost)}</td></tr>
          <tr class="total"><th scope="row">List price</th><td>request + duration</td><td class="amount">{usd(usage.ListCost)}</td></tr>
          <tr><th scope="row">Free tier</th><td>
            {usage.FreeTierRequest ? 'the request' : 'no request'}{' and '}
            {freeGbSeconds.units === 0n ? 'no GB-seconds' : `${formatDecimal(freeGbSeconds)} GB-s`} covered
            {billableGbSeconds.units > 0n && freeGbSeconds.units > 0n ? ` (${formatDecimal(billableGbSeconds)} GB-s billable)` : ''}
          </td><td class="amount">−{usd(minus(decimal(usage.ListCost), decimal(usage.Cost)))}</td></tr>
          <tr class="total"><th scope="row">Cost</th><td>{covered ? 'covered by the free tier' : 'after the free tier'}</td><td class="amount">{usd(usage.Cost)}</td></tr>
        </tbody>
      </table>
    </div>
  );
}

/** The log output as text (never HTML). */
export function LogOutputView({ text }: { text: string }) {
  return <pre class="code-block result-log" tabIndex={0} aria-label="Log output">{text || 'No log output.'}</pre>;
}
