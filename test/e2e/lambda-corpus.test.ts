/// <reference types="vite/client" />
// End to end: every corpus of test/corpus/lambda (calls with the answers AWS's API reference
// documents) replayed through @aws-sdk/client-lambda and boto3 against a real `wrangler dev`.
import { describe, it } from 'vitest';
import { useDevServer } from './support/harness';
import { replayCorpus, type CorpusCase } from './support/aws-corpus';

const server = useDevServer({ shared: true });
const corpora = import.meta.glob<{ cases: CorpusCase[] }>('../corpus/lambda/*.ts', { eager: true });

describe('Lambda API corpus (AWS SDK v3 and boto3)', () => {
  for (const [path, { cases }] of Object.entries(corpora)) {
    it(`${path.replace('../corpus/lambda/', '')}: ${cases.length} calls answer as AWS documents`, { timeout: 120_000 }, async () => {
      await replayCorpus(server, cases);
    });
  }
});
