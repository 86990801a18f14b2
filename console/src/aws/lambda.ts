// Lambda's REST API as the console uses it: the shapes it reads (a subset of AWS's) and one
// function per operation. Every call goes through restJson, so errors arrive as ApiError.
import { restJson } from './client';
import type { Credentials } from '../session';

const API = '/2015-03-31';

export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize: number;
  CodeSha256: string;
  Description?: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: string;
  RevisionId?: string;
  State?: string;
  Environment?: { Variables?: Record<string, string> };
  TracingConfig?: { Mode: 'Active' | 'PassThrough' };
  DeadLetterConfig?: { TargetArn?: string };
  Architectures?: string[];
  LoggingConfig?: { LogFormat?: 'Text' | 'JSON'; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup?: string };
}

export interface FunctionDetails {
  Configuration: FunctionConfiguration;
  Code?: { Location?: string; RepositoryType?: string };
  Concurrency?: { ReservedConcurrentExecutions?: number };
  Tags?: Record<string, string>;
}

const encode = encodeURIComponent;

/** Every function of the account, following NextMarker page by page. */
export async function listAllFunctions(keys?: Credentials): Promise<FunctionConfiguration[]> {
  const all: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const query = new URLSearchParams({ MaxItems: '50', ...(marker ? { Marker: marker } : {}) });
    const page = await restJson<{ Functions: FunctionConfiguration[]; NextMarker?: string }>('GET', `${API}/functions?${query}`, undefined, keys);
    all.push(...page.Functions);
    marker = page.NextMarker;
  } while (marker);
  return all;
}

export function getFunction(name: string, qualifier?: string): Promise<FunctionDetails> {
  return restJson('GET', `${API}/functions/${encode(name)}${qualifier ? `?Qualifier=${encode(qualifier)}` : ''}`);
}

export function getFunctionConfiguration(name: string, qualifier?: string): Promise<FunctionConfiguration> {
  return restJson('GET', `${API}/functions/${encode(name)}/configuration${qualifier ? `?Qualifier=${encode(qualifier)}` : ''}`);
}

export function lambdaPath(path: string): string {
  return `${API}${path}`;
}

/** The account id in a Lambda ARN (arn:aws:lambda:<region>:<account>:function:<name>). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
