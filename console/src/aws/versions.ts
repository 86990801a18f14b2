// The calls behind the Aliases and versions tab: PublishVersion, ListVersionsByFunction, the
// alias operations, and a version's code as files (GetFunction's Code.Location, unzipped).
import { restJson } from './client';
import { getFunction, lambdaPath, type FunctionConfiguration } from './lambda';

const encode = encodeURIComponent;
const fn = (name: string) => lambdaPath(`/functions/${encode(name)}`);

export interface Alias {
  AliasArn: string;
  Name: string;
  FunctionVersion: string;
  Description?: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
  RevisionId?: string;
}

export interface AliasInput {
  FunctionVersion: string;
  Description: string;
  /** Sent as given: `{}` clears the routing. */
  RoutingConfig: { AdditionalVersionWeights: Record<string, number> };
}

export function publishVersion(name: string, description: string): Promise<FunctionConfiguration> {
  return restJson('POST', `${fn(name)}/versions`, { Description: description });
}

/** Every item of a paged list operation at `path`, following NextMarker. */
async function allPages<T, K extends string>(path: string, key: K): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const query = new URLSearchParams({ MaxItems: '50', ...(marker ? { Marker: marker } : {}) });
    const page = await restJson<Record<K, T[]> & { NextMarker?: string }>('GET', `${path}?${query}`);
    all.push(...page[key]);
    marker = page.NextMarker;
  } while (marker);
  return all;
}

/** Every version, $LATEST included (ListVersionsByFunction). */
export function listVersions(name: string): Promise<FunctionConfiguration[]> {
  return allPages(`${fn(name)}/versions`, 'Versions');
}

export function listAliases(name: string): Promise<Alias[]> {
  return allPages(`${fn(name)}/aliases`, 'Aliases');
}

export function createAlias(name: string, aliasName: string, input: AliasInput): Promise<Alias> {
  return restJson('POST', `${fn(name)}/aliases`, { Name: aliasName, ...input });
}

export function updateAlias(name: string, aliasName: string, input: AliasInput): Promise<Alias> {
  return restJson('PUT', `${fn(name)}/aliases/${encode(aliasName)}`, input);
}

export function deleteAlias(name: string, aliasName: string): Promise<void> {
  return restJson('DELETE', `${fn(name)}/aliases/${encode(aliasName)}`);
}

/** One file of a deployment package: its text, or undefined when it is not UTF-8 text. */
export interface PackageFile {
  path: string;
  bytes: Uint8Array;
  text?: string;
}

/**
 * The files of `qualifier`'s package. Code.Location is a short-lived link that needs no
 * signature (faasbox's /api/code/<token>, like S3's presigned URLs); it is fetched on this
 * page's origin, the only one the CSP lets the console call.
 */
export async function fetchPackageFiles(name: string, qualifier: string): Promise<PackageFile[]> {
  const details = await getFunction(name, qualifier);
  const location = details.Code?.Location;
  if (!location) throw new Error(`GetFunction answered no Code.Location for ${name}:${qualifier}.`);
  const link = new URL(location);
  const response = await fetch(new URL(link.pathname + link.search, window.location.origin));
  if (!response.ok) throw new Error(`The code of ${name}:${qualifier} could not be downloaded (HTTP ${response.status}).`);
  const { unzipSync } = await import('fflate');
  const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return Object.entries(entries)
    .filter(([path]) => !path.endsWith('/'))
    .map(([path, bytes]) => {
      let text: string | undefined;
      try {
        text = decoder.decode(bytes);
      } catch {
        text = undefined;
      }
      return { path, bytes, text };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
