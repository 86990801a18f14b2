// Function bundles for end-to-end tests: zips built in memory from the fixtures directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'functions');

/** A zip whose `index.js` is the fixture `name` (e.g. `echo.js`). */
export function fixtureZip(name: string): Uint8Array {
  return zipSync({ 'index.js': readFileSync(join(FIXTURES, name)) });
}

/** A zip of the given files. */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
}

export const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
