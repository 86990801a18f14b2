// Function URL configurations, resource policies (docs/FUNCTION-URLS.md) and the global url-id
// index entry that finds a URL's account before anything else is known.
import type { FunctionRecord } from './function';

/** A function URL's configuration (Create/UpdateFunctionUrlConfig). */
export interface FunctionUrlRecord {
  /** 32 lowercase alphanumerics: the host label `<url-id>.lambda-url.<region>.<domain>`. */
  urlId: string;
  functionName: string;
  /** The Qualifier it was created with; '' for the unqualified function. */
  qualifier: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: CorsConfig;
  /** RESPONSE_STREAM is stored and answered; the response is buffered either way. */
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  /** ISO 8601, as Lambda reports CreationTime and LastModifiedTime. */
  creationTime: string;
  lastModifiedTime: string;
}

/** Lambda's Cors structure, stored as given. */
export interface CorsConfig {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

/** One statement of a function's resource policy, in IAM's JSON shape. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { AWS: string } | { Service: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface ResourcePolicy {
  statements: PolicyStatement[];
  revisionId: string;
}

export interface FunctionUrlTarget {
  url: FunctionUrlRecord;
  policy: ResourcePolicy | undefined;
  /** The function's $LATEST record; recordForUrl picks what actually runs. */
  latest: FunctionRecord;
}

/** The AccountDirectory's entry for one url-id. */
export interface FunctionUrlIndexEntry {
  urlId: string;
  accountId: string;
  functionName: string;
  /** '' for the unqualified function. */
  qualifier: string;
  /** The account is a playground sandbox (its URL's rate and headers: docs/PLAYGROUND.md, "Quotas"); set by findFunctionUrl. */
  playground?: boolean;
}
