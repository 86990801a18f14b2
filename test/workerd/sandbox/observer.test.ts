// The invocation observer: the sandbox tells the host which stream runs an invocation before it
// starts and hands over each console record while the guest still runs, init lines and the
// truncation marker included, so that what was heard is exactly what the report ends with.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type ConsoleRecord, type InvocationObserver } from '../../../sandbox';
import consoleFlood from '../../fixtures/functions/console-flood.js?raw';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const MIB = 1024 * 1024;
const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
afterAll(() => pool.dispose());

/** An observer that writes down what it hears, and whether the invocation had ended by then. */
function listener() {
  const heard: Array<{ stream: string } | { record: ConsoleRecord; ended: boolean }> = [];
  const state = { ended: false };
  const observer: InvocationObserver = {
    started: (stream) => heard.push({ stream }),
    console: (record) => heard.push({ record, ended: state.ended }),
  };
  return { heard, state, observer };
}

describe('invocation observer', () => {
  it('hears the stream first, then each record while the guest runs, the same records as the report', async () => {
    const spec = specFor({
      'index.js': 'console.log("at init"); exports.handler = async () => { console.log("one"); await new Promise((r) => setTimeout(r, 30)); console.warn("two"); return "ok"; };',
    });
    for (const cold of [true, false]) {
      const { heard, state, observer } = listener();
      const report = await pool.invoke(spec, inputFor(), capabilities({ observer }));
      state.ended = true;
      expect(payloadOf(report)).toBe('ok');
      expect(heard[0]).toEqual({ stream: report.logStreamName });
      const records = heard.slice(1).map((h) => ('record' in h ? h : undefined));
      expect(records.every((r) => r !== undefined && !r.ended)).toBe(true);
      expect(records.map((r) => r!.record)).toEqual(report.console);
      expect(report.console.map((r) => `${r.level} ${r.message}`)).toEqual([...(cold ? ['INFO at init'] : []), 'INFO one', 'WARN two']);
    }
  });

  it('hears the truncation marker of a flood last, as the report has it', async () => {
    const { heard, observer } = listener();
    const report = await pool.invoke(specFor({ 'index.js': consoleFlood }), inputFor(), capabilities({ observer }));
    const records = heard.flatMap((h) => ('record' in h ? [h.record] : []));
    expect(records).toEqual(report.console);
    expect(records.at(-1)!.message).toMatch(/^\[faasbox\] log output truncated: \d+ bytes dropped$/);
  });
});
