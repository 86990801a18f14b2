// End to end with the AWS CLI v2 (Debian's awscli) for issue 13's layer and tag operations: its own
// encodings (fileb:// zips, --zip-file, a function ARN in the tags path, a layer ARN in a query).
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
const aws = (...args: string[]) => JSON.parse(server.aws('--output', 'json', ...args) || '{}');

beforeAll(() => {
  writeFileSync(join(server.workDir, 'layer.zip'), zipOf({ 'nodejs/node_modules/greeting/index.js': 'module.exports = "hi";' }));
  writeFileSync(join(server.workDir, 'fn.zip'), zipOf({ 'index.js': 'exports.handler = async () => require("greeting");' }));
});

describe('AWS CLI v2: layers and tags', () => {
  it('publishes and finds a layer, creates a function on it with tags, tags it by ARN and shows the tags', { timeout: 120_000 }, () => {
    const layer = aws('lambda', 'publish-layer-version', '--layer-name', 'cli-layer', '--zip-file', `fileb://${join(server.workDir, 'layer.zip')}`,
      '--compatible-runtimes', 'nodejs22.x');
    expect(layer).toMatchObject({ Version: 1, LayerVersionArn: `arn:aws:lambda:${server.region}:${server.accountId}:layer:cli-layer:1`, CompatibleRuntimes: ['nodejs22.x'] });
    expect(aws('lambda', 'list-layers').Layers).toEqual([
      expect.objectContaining({ LayerName: 'cli-layer', LatestMatchingVersion: expect.objectContaining({ LayerVersionArn: layer.LayerVersionArn, Version: 1 }) }),
    ]);
    expect(aws('lambda', 'get-layer-version-by-arn', '--arn', layer.LayerVersionArn)).toMatchObject({ Version: 1, Content: { CodeSize: expect.any(Number) } });

    const created = aws('lambda', 'create-function', '--function-name', 'cli-tagged', '--runtime', 'nodejs22.x', '--role', ROLE, '--handler', 'index.handler',
      '--zip-file', `fileb://${join(server.workDir, 'fn.zip')}`, '--layers', layer.LayerVersionArn, '--tags', 'team=a');
    expect(created.Layers).toEqual([{ Arn: layer.LayerVersionArn, CodeSize: layer.Content.CodeSize }]);
    // The CLI puts the ARN, colons and all, into the path of /2017-03-31/tags/{ARN}.
    expect(aws('lambda', 'tag-resource', '--resource', created.FunctionArn, '--tags', 'stage=dev,owner=ops')).toEqual({});
    expect(aws('lambda', 'list-tags', '--resource', created.FunctionArn)).toEqual({ Tags: { team: 'a', stage: 'dev', owner: 'ops' } });
    const got = aws('lambda', 'get-function', '--function-name', 'cli-tagged');
    expect(got.Tags).toEqual({ team: 'a', stage: 'dev', owner: 'ops' });
    expect(got.Configuration.Layers).toEqual(created.Layers);
  });
});
