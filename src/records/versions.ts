// Published versions and aliases of a function (docs/VERSIONS.md), and the ways a version or
// alias operation of the FunctionRegistry can fail.
import type { EventInvokeConfig, FunctionRecord } from './function';
import type { Failure, Result } from './result';

/** A published version: the $LATEST record as it was, numbered. Never changed after publishing. */
export interface VersionRecord extends FunctionRecord {
  version: string;
  /** $LATEST's RevisionId it was cut from: publishing an unchanged $LATEST returns this version. */
  publishedFromRevisionId: string;
}

export interface AliasRecord {
  name: string;
  /** '$LATEST' or a version number. */
  functionVersion: string;
  description: string;
  /** RoutingConfig.AdditionalVersionWeights: one other version and its share of traffic (0..1). */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
  /** The alias's own async settings (Put/UpdateFunctionEventInvokeConfig with the alias as Qualifier). */
  eventInvokeConfig?: EventInvokeConfig;
}

export type VersionsErrorCode =
  | 'not-found' | 'version-not-found' | 'alias-not-found' | 'alias-exists' | 'precondition' | 'invalid' | 'code-sha-mismatch' | 'referenced'
  /** A new version would pass the caller's most versions of the function (a playground sandbox's quota). */
  | 'version-quota';

/** The details each version or alias error carries. */
export type VersionsErrorDetails = {
  'version-not-found': { version: string };
  invalid: { message: string };
  'code-sha-mismatch': { given: string; current: string };
  referenced: { aliases: string[] };
};

export type VersionsError = Failure<VersionsErrorCode, VersionsErrorDetails>;
export type VersionsResult<T> = Result<T, VersionsErrorCode, VersionsErrorDetails>;

export const isVersionNumber = (qualifier: string) => /^[0-9]+$/.test(qualifier);
