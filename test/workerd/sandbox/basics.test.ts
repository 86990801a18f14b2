import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool } from '../../../sandbox';
import echo from '../../fixtures/functions/echo.js?raw';
import throws from '../../fixtures/functions/throws.js?raw';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

describe('a simple function', () => {
  it('returns the event, with context and env, and logs at INFO', async () => {
    const spec = specFor({ 'index.js': echo });
    const report = await pool.invoke(spec, inputFor({ a: 1 }), capabilities());
    expect(payloadOf(report)).toMatchObject({ event: { a: 1 }, invocations: 1, memory: '128', region: 'us-east-1', greeting: 'hello' });
    expect(report.console).toEqual([expect.objectContaining({ level: 'INFO', message: 'echo {"a":1}' })]);
    expect(report.initDurationMs).toBeTypeOf('number');
    expect(report.maxMemoryUsedBytes).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(report.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('reports a thrown ReferenceError in Lambda shape', async () => {
    const report = await pool.invoke(specFor({ 'index.js': throws }), inputFor(), capabilities());
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'function-error', error: { errorType: 'ReferenceError', errorMessage: "'notDefined' is not defined" } });
    if (report.result.kind === 'failure') {
      expect(report.result.error.trace[0]).toBe("ReferenceError: 'notDefined' is not defined");
      expect(report.result.error.trace[1]).toMatch(/^\s+at .*\/var\/task\/index\.js:\d+/);
    }
  });
});
