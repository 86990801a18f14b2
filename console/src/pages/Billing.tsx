// The Billing page: a month's statement (GET /api/billing/statement?Month=YYYY-MM) with the cost of
// each function, the account's free tier used, the prices it was computed with, and a month picker
// (?month=YYYY-MM in the address, so a month can be linked to).
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import '../styles/billing.css';
import { billingStatement, formatUsd, monthOf, type Statement, type UsageTotals } from '../aws/metrics';
import { ErrorBanner } from '../components/ErrorBanner';
import { CliHint } from '../components/CliHint';
import { shellQuote } from '../cli';
import { region } from '../session';

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** YYYY-MM `delta` months from `month`. */
function shiftMonth(month: string, delta: number): string {
  const [year, index] = month.split('-').map(Number);
  return monthOf(Date.UTC(year, index - 1 + delta, 1));
}

function monthWords(month: string): string {
  const [year, index] = month.split('-').map(Number);
  return new Date(Date.UTC(year, index - 1, 1)).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const count = (n: number) => n.toLocaleString('en-US');
const gbSeconds = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 3 });

export function Billing() {
  const { query, route } = useLocation();
  const thisMonth = monthOf(Date.now());
  const month = MONTH_PATTERN.test(query.month ?? '') ? query.month! : thisMonth;
  const [statement, setStatement] = useState<Statement>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    setStatement(undefined);
    billingStatement(month).then((s) => { if (current) { setStatement(s); setError(undefined); } }, (e: unknown) => { if (current) setError(e); });
    return () => { current = false; };
  }, [month]);

  const pick = (next: string) => { if (MONTH_PATTERN.test(next)) route(`/console/billing?month=${next}`); };

  return (
    <section aria-labelledby="billing-title" class="billing">
      <div class="page-head">
        <h1 id="billing-title">Billing</h1>
        <span class="muted">{monthWords(month)} (UTC){month === thisMonth ? ', so far' : ''}</span>
      </div>
      <div class="toolbar">
        <button type="button" class="button small" onClick={() => pick(shiftMonth(month, -1))} aria-label="Previous month">‹</button>
        <label class="month-picker">
          <span>Month</span>
          <input type="month" value={month} max={thisMonth} onChange={(e) => pick(e.currentTarget.value)} />
        </label>
        <button type="button" class="button small" onClick={() => pick(shiftMonth(month, 1))} disabled={month >= thisMonth} aria-label="Next month">›</button>
        {month !== thisMonth && <a href="/console/billing" class="button small">This month</a>}
      </div>
      <ErrorBanner error={error} />
      {!statement && !error && <p class="muted" role="status">Loading the statement…</p>}
      {statement && <StatementView statement={statement} />}
      <CliHint label="Copy as curl" command={['curl', '-s', '--aws-sigv4', `aws:amz:${region}:lambda`, '--user'].map(shellQuote).join(' ') + ' "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" ' + shellQuote(`${location.origin}/api/billing/statement?Month=${month}`)} />
    </section>
  );
}

/** What a function's or the account's usage comes to at list price, before the free tier. */
function listCost(usage: UsageTotals, statement: Statement): number {
  return (usage.Requests * Number(statement.Prices.PricePerMillionRequests)) / 1e6 + usage.GBSeconds * Number(statement.Prices.PricePerGBSecond);
}

function StatementView({ statement }: { statement: Statement }) {
  const { Account: account, Prices: prices } = statement;
  const functions = [...statement.Functions].sort((a, b) => b.Cost - a.Cost || b.Requests - a.Requests || a.FunctionName.localeCompare(b.FunctionName));
  return (
    <>
      <div class="billing-summary">
        <div class="card billing-total">
          <h2>Total</h2>
          <p class="billing-amount">{formatUsd(account.Cost)}</p>
          <p class="muted">{formatUsd(listCost(account, statement))} at list price, before the free tier</p>
        </div>
        <div class="card free-tier" aria-labelledby="free-tier-title">
          <h2 id="free-tier-title">Free tier used</h2>
          <FreeTierBar label="Requests" used={account.FreeTierRequestsUsed} limit={prices.FreeTierRequests} format={count} />
          <FreeTierBar label="GB-seconds" used={account.FreeTierGBSecondsUsed} limit={Number(prices.FreeTierGBSeconds)} format={gbSeconds} />
          <p class="hint">Per account and calendar month; beyond it: {formatUsd(Number(account.Exact.RequestCost))} for {count(account.BillableRequests)} billable requests, {formatUsd(Number(account.Exact.DurationCost))} for {gbSeconds(account.BillableGBSeconds)} billable GB-seconds.</p>
        </div>
      </div>
      <h2>Functions</h2>
      {functions.length === 0 ? (
        <div class="empty"><p>No function ran in {monthWords(statement.Month)}: nothing to bill.</p></div>
      ) : (
        <table class="table billing-table" aria-label={`Statement of ${statement.Month} per function`}>
          <thead>
            <tr>
              <th scope="col">Function</th><th scope="col" class="num">Requests</th><th scope="col" class="num">GB-seconds</th>
              <th scope="col" class="num">Free requests</th><th scope="col" class="num">Free GB-seconds</th>
              <th scope="col" class="num">At list price</th><th scope="col" class="num">Request cost</th><th scope="col" class="num">Duration cost</th><th scope="col" class="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {functions.map((f) => (
              <tr key={f.FunctionName}>
                <td><a href={`/console/functions/${encodeURIComponent(f.FunctionName)}/monitor`}>{f.FunctionName}</a></td>
                <td class="num">{count(f.Requests)}</td>
                <td class="num" title={f.Exact.GBSeconds}>{gbSeconds(f.GBSeconds)}</td>
                <td class="num">{count(f.FreeTierRequestsUsed)}</td>
                <td class="num" title={f.Exact.FreeTierGBSecondsUsed}>{gbSeconds(f.FreeTierGBSecondsUsed)}</td>
                <td class="num">{formatUsd(listCost(f, statement))}</td>
                <td class="num" title={`exactly $${f.Exact.RequestCost}`}>{formatUsd(f.RequestCost)}</td>
                <td class="num" title={`exactly $${f.Exact.DurationCost}`}>{formatUsd(f.DurationCost)}</td>
                <td class="num" title={`exactly $${f.Exact.Cost}`}><strong>{formatUsd(f.Cost)}</strong></td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Account</th>
              <td class="num">{count(account.Requests)}</td><td class="num">{gbSeconds(account.GBSeconds)}</td>
              <td class="num">{count(account.FreeTierRequestsUsed)}</td><td class="num">{gbSeconds(account.FreeTierGBSecondsUsed)}</td>
              <td class="num">{formatUsd(listCost(account, statement))}</td>
              <td class="num">{formatUsd(account.RequestCost)}</td><td class="num">{formatUsd(account.DurationCost)}</td>
              <td class="num"><strong>{formatUsd(account.Cost)}</strong></td>
            </tr>
          </tfoot>
        </table>
      )}
      <p class="hint">
        Prices: ${prices.PricePerMillionRequests} per million requests and ${prices.PricePerGBSecond} per GB-second ({prices.Currency});
        free tier {count(prices.FreeTierRequests)} requests and {gbSeconds(Number(prices.FreeTierGBSeconds))} GB-seconds a month; billed duration rounded up to {prices.BilledDurationGranularityMs} ms.
        Costs are rounded to the cent; hover a figure for its exact value.
      </p>
    </>
  );
}

function FreeTierBar({ label, used, limit, format }: { label: string; used: number; limit: number; format: (n: number) => string }) {
  const share = limit > 0 ? Math.min(1, used / limit) : 0;
  const percent = share * 100;
  const percentText = percent === 0 ? '0 %' : percent < 0.01 ? '< 0.01 %' : `${percent.toFixed(percent < 10 ? 2 : 1)} %`;
  return (
    <div class="free-tier-row">
      <div class="free-tier-figures">
        <span>{label}</span>
        <span><strong>{format(used)}</strong> of {format(limit)} ({percentText})</span>
      </div>
      <div class="free-tier-bar" role="meter" aria-label={`${label} of the free tier used`} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used} aria-valuetext={`${format(used)} of ${format(limit)}`}>
        {/* A sliver stays visible for any use at all. */}
        <div class="free-tier-fill" style={{ width: used > 0 ? `max(3px, ${percent}%)` : '0' }} />
      </div>
    </div>
  );
}
