// Lambda layers (docs/LAYERS.md): a published layer version as the FunctionRegistry of its
// account keeps it, a function's reference to one, and their ARNs.
import type { ResourcePolicy } from './function-url';

/** One published layer version. Never changed after publishing (its policy is kept apart). */
export interface LayerVersionRecord {
  layerName: string;
  version: number;
  description: string;
  /** Lambda's timestamp format: `2026-11-26T19:11:20.562+0000`. */
  createdDate: string;
  /** As given: absent when the request had none, `[]` when it had an empty list (as Lambda shows them). */
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  /** R2 key of the zip (`layers/<account>/<name>/<hex sha256>.zip`). */
  codeKey: string;
  /** Base64 SHA-256 of the zip. */
  codeSha256: string;
  /** Bytes of the zip. */
  codeSize: number;
  /** Declared bytes of its files unzipped: what counts toward a function's 262,144,000 bytes. */
  unzippedBytes: number;
}

/** A layer version's resource policy: the statements AddLayerVersionPermission writes. */
export type LayerPolicy = ResourcePolicy;

/** `arn:aws:lambda:<region>:<account>:layer:<name>`. */
export function layerArn(region: string, accountId: string, layerName: string): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${layerName}`;
}

/** `arn:aws:lambda:<region>:<account>:layer:<name>:<version>`. */
export function layerVersionArn(region: string, accountId: string, layerName: string, version: number | string): string {
  return `${layerArn(region, accountId, layerName)}:${version}`;
}

/** The parts of a layer (version) ARN, or undefined when it is not one. */
export function parseLayerArn(arn: string): { region: string; accountId: string; layerName: string; version?: number } | undefined {
  const match = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)(?::([0-9]+))?$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, accountId: match[2]!, layerName: match[3]!, ...(match[4] !== undefined && { version: Number(match[4]) }) };
}

/** A layer a LayerName (a name, or a layer ARN without a version) names, and whose it is. */
export interface NamedLayer {
  accountId: string;
  region: string;
  layerName: string;
}

/** Reads a LayerName for `caller` (its account and region unless an ARN says otherwise); undefined when it is neither form. */
export function namedLayer(raw: string, caller: { accountId: string; region: string }): NamedLayer | undefined {
  if (raw.startsWith('arn:')) {
    const parsed = parseLayerArn(raw);
    return parsed && parsed.version === undefined ? { accountId: parsed.accountId, region: parsed.region, layerName: parsed.layerName } : undefined;
  }
  return /^[a-zA-Z0-9-_]+$/.test(raw) ? { accountId: caller.accountId, region: caller.region, layerName: raw } : undefined;
}
