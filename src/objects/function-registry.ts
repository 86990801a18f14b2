// FunctionRegistry: one object per account, holding that account's function configurations,
// published versions and aliases, function URLs, resource policies, saved test events and layers. The account is the
// coordination atom for names, listing and RevisionId guards; code bundles live in R2 under the
// account's prefix. Every method is atomic (single-threaded object). This class is a facade:
// each table is its own module (function-registry/*-table.ts); what spans tables is here.
import { DurableObject } from 'cloudflare:workers';
import { accountCipher, SealError, sealEnvironment, type AccountCipher } from '../crypto/envelope';
import { TEST_EVENTS_PER_FUNCTION_MAX } from '../limits';
import type { EventInvokeConfig, EventInvokeConfigChanges, FunctionChanges, FunctionRecord, NewFunctionRecord, ResolutionPlan, ResolvedFunction, RuntimeManagement } from '../records/function';
import { lambdaTimestamp, nextEventInvokeConfig, pickResolution } from '../records/function';
import type { FunctionUrlRecord, FunctionUrlTarget, PolicyStatement, ResourcePolicy } from '../records/function-url';
import { cryptoRandom } from '../records/random';
import { fail, ok, type Result } from '../records/result';
import type { LayerPolicy, LayerVersionRecord } from '../records/layers';
import type { ListedTestEvent, TestEvent } from '../records/test-event';
import { withChangedTags, type Tags } from '../records/tags';
import { isVersionNumber, type AliasRecord, type VersionRecord, type VersionsResult } from '../records/versions';
import { FunctionsTable } from './function-registry/functions-table';
import { LayersTable } from './function-registry/layers-table';
import { PoliciesTable } from './function-registry/policies-table';
import { registrySchema } from './function-registry/schema';
import { testEventContext, TestEventsTable } from './function-registry/test-events-table';
import { UrlsTable } from './function-registry/urls-table';
import { routingProblem, VersionsTable } from './function-registry/versions-table';
import { openStorage } from './storage/schema';

export type RegistryResult<T> = Result<T, 'not-found' | 'conflict' | 'precondition'>;

/** ListLayers' and ListLayerVersions' filters: a version matches when it lists the value given. */
export interface LayerFilter {
  runtime?: string;
  architecture?: string;
}

function matchesLayerFilter(layer: LayerVersionRecord, filter: LayerFilter): boolean {
  return (filter.runtime === undefined || (layer.compatibleRuntimes ?? []).includes(filter.runtime))
    && (filter.architecture === undefined || (layer.compatibleArchitectures ?? []).includes(filter.architecture));
}

export class FunctionRegistry extends DurableObject<Env> {
  private readonly functions: FunctionsTable;
  private readonly versions: VersionsTable;
  private readonly urls: UrlsTable;
  private readonly policies: PoliciesTable;
  private readonly testEvents: TestEventsTable;
  private readonly layers: LayersTable;
  /** The account's cipher: environment variables are sealed here, before they are stored. */
  private readonly cipher: AccountCipher;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // bindings.ts names every registry by its account id, which its data key is derived from.
    const accountId = ctx.id.name;
    if (accountId === undefined) throw new Error('a FunctionRegistry must be named by its account id (bindings.ts)');
    this.cipher = accountCipher(env, accountId);
    const db = openStorage(ctx, registrySchema(this.cipher));
    this.functions = new FunctionsTable(db);
    this.versions = new VersionsTable(db);
    this.urls = new UrlsTable(db);
    this.policies = new PoliciesTable(db);
    this.testEvents = new TestEventsTable(db);
    this.layers = new LayersTable(db);
  }

  /** Stores a new function, its variables sealed. Throws SealError when they cannot be (no key). */
  async create(input: NewFunctionRecord): Promise<RegistryResult<FunctionRecord>> {
    const { environment, ...rest } = input;
    const record: FunctionRecord = await this.withSealedEnvironment(input.name, rest, environment);
    // Synchronous from here: nothing interleaves between the check and the insert.
    if (this.functions.get(record.name)) return fail('conflict');
    this.functions.insert(record);
    return ok(record);
  }

  get(name: string): FunctionRecord | undefined {
    return this.functions.get(name);
  }

  /** Functions in name order after `marker`, at most `maxItems`, and the marker of the next page. */
  list(marker: string | undefined, maxItems: number): { functions: FunctionRecord[]; nextMarker?: string } {
    const rows = this.functions.page(marker ?? '', maxItems + 1);
    const functions = rows.slice(0, maxItems);
    return { functions, nextMarker: rows.length > maxItems ? functions[functions.length - 1].name : undefined };
  }

  /**
   * ListFunctions with FunctionVersion ALL: each function's $LATEST, then its versions in order,
   * functions in name order, at most `maxItems` after `marker` (`<name>:<version>` of the last one).
   */
  listWithVersions(marker: string | undefined, maxItems: number): { functions: FunctionRecord[]; nextMarker?: string } {
    const cut = marker?.lastIndexOf(':') ?? -1;
    const afterName = cut > 0 ? marker!.slice(0, cut) : (marker ?? '');
    const afterVersion = cut > 0 ? marker!.slice(cut + 1) : undefined;
    const rows: FunctionRecord[] = [];
    if (afterVersion !== undefined && this.functions.get(afterName)) {
      rows.push(...this.versions.list(afterName, isVersionNumber(afterVersion) ? Number(afterVersion) : 0, maxItems + 1));
    }
    for (const latest of this.functions.page(afterName, maxItems + 1)) {
      if (rows.length > maxItems) break;
      rows.push(latest, ...this.versions.list(latest.name, 0, maxItems + 1));
    }
    const functions = rows.slice(0, maxItems);
    const last = functions[functions.length - 1];
    return { functions, nextMarker: rows.length > maxItems ? `${last.name}:${last.version ?? '$LATEST'}` : undefined };
  }

  /**
   * Applies `changes` when `expectedRevisionId` (if given) matches, stamping a new RevisionId and
   * LastModified. Returns the previous record, and the code key the change left unused by $LATEST
   * and every published version, which the caller deletes from R2. New variables are sealed first.
   */
  async update(
    name: string,
    changes: FunctionChanges,
    expectedRevisionId?: string,
  ): Promise<RegistryResult<{ record: FunctionRecord; previous: FunctionRecord; releasedCodeKey?: string }>> {
    const { environment, ...rest } = changes;
    const sealed = environment === undefined ? rest : await this.withSealedEnvironment(name, rest, environment);
    // Synchronous from here: the RevisionId guard and the write see the same record.
    const previous = this.functions.get(name);
    if (!previous) return fail('not-found');
    if (expectedRevisionId !== undefined && expectedRevisionId !== previous.revisionId) return fail('precondition');
    const record: FunctionRecord = { ...previous, ...sealed, name, revisionId: crypto.randomUUID(), lastModified: lambdaTimestamp() };
    this.functions.replace(record);
    const released = this.versions.codeKeyInUse(record, previous.codeKey) ? undefined : previous.codeKey;
    return ok({ record, previous, releasedCodeKey: released });
  }

  /**
   * TagResource / UntagResource of a function: `set` over its tags, `remove` taken out, refused
   * (`too-many`) when more than `maxTags` would remain. As in Lambda, a change of tags gives
   * $LATEST a new RevisionId; LastModified stays (its configuration did not change), and so does
   * whether it is published: tags are not configuration, so PublishVersion after a tag change alone
   * answers the newest version, as Lambda does.
   */
  updateTags(name: string, set: Tags, remove: readonly string[], maxTags: number): Result<FunctionRecord, 'not-found' | 'too-many'> {
    const current = this.functions.get(name);
    if (!current) return fail('not-found');
    const tagged = withChangedTags(current, set, remove, maxTags);
    if (!tagged) return fail('too-many');
    const record: FunctionRecord = { ...tagged, revisionId: crypto.randomUUID() };
    this.functions.replace(record);
    this.versions.followRevision(name, current.revisionId, record.revisionId);
    return ok(record);
  }

  /**
   * Removes the function with its versions, aliases, URL configs, policies and test events in one step, so
   * none of them can outlive it and come back with a new function of the same name. Returns
   * the removed $LATEST record.
   */
  delete(name: string): FunctionRecord | undefined {
    const record = this.functions.get(name);
    if (record) this.functions.delete(name);
    this.versions.deleteFunction(name);
    this.forgetFunctionUrls(name);
    this.testEvents.delete(name);
    return record;
  }

  /** Number of functions and the bytes of their zips (every version's), for GetAccountSettings. */
  usage(): { functionCount: number; totalCodeSize: number } {
    const records = this.functions.all();
    return { functionCount: records.length, totalCodeSize: records.reduce((n, r) => n + r.codeSize, this.versions.totalCodeSize() + this.layers.totalCodeSize()) };
  }

  /**
   * Removes every row of the account (account deletion): functions, versions, aliases, URL
   * configs, policies, test events and layers. Returns the code keys they referenced ($LATEST's and every version's;
   * layer zips go with the account's `layers/` prefix).
   */
  deleteAll(): string[] {
    const keys = [...new Set([...this.functions.all().map((r) => r.codeKey), ...this.versions.codeKeys()])];
    this.functions.delete();
    this.versions.deleteFunction();
    this.forgetAllFunctionUrls();
    this.testEvents.delete();
    this.layers.deleteAll();
    return keys;
  }

  /**
   * The record a qualifier names: $LATEST (none or `$LATEST`), a published version, or an alias.
   * `routing: 'weighted'` picks an alias's version by its weights (an invocation);
   * `'primary'` takes its FunctionVersion (GetFunction). Undefined when nothing matches.
   */
  resolve(name: string, qualifier: string | undefined, routing: 'weighted' | 'primary'): ResolvedFunction | undefined {
    const plan = this.resolutionPlan(name, qualifier);
    return plan && pickResolution(plan, routing, cryptoRandom);
  }

  /**
   * What `qualifier` of `name` resolves to before an alias's weights pick (pickResolution): undefined
   * when the function or alias does not exist.
   */
  resolutionPlan(name: string, qualifier: string | undefined): ResolutionPlan | undefined {
    const latest = this.functions.get(name);
    if (!latest) return undefined;
    const named = qualifier ?? '$LATEST';
    const resolved = (version: string, alias?: string): ResolvedFunction | undefined => {
      const record = version === '$LATEST' ? latest : this.versions.get(name, version);
      return record && { record, executedVersion: version, ...(alias !== undefined && { alias }) };
    };
    if (named === '$LATEST' || isVersionNumber(named)) return { primary: resolved(named) };
    const alias = this.versions.getAlias(name, named);
    if (!alias) return undefined;
    const [entry] = Object.entries(alias.additionalVersionWeights ?? {});
    return { primary: resolved(alias.functionVersion, alias.name), ...(entry && { additional: { resolved: resolved(entry[0], alias.name), weight: entry[1] } }) };
  }

  /** Whether $LATEST or a published version of `name` runs the zip at `codeKey`. */
  codeKeyInUse(name: string, codeKey: string): boolean {
    const latest = this.functions.get(name);
    return latest !== undefined && this.versions.codeKeyInUse(latest, codeKey);
  }

  /** PublishVersion: snapshots $LATEST after the RevisionId and CodeSha256 guards. */
  publishVersion(name: string, guards: { revisionId?: string; codeSha256?: string; description?: string; maxVersions?: number }): VersionsResult<VersionRecord> {
    const latest = this.functions.get(name);
    if (!latest) return fail('not-found');
    if (guards.revisionId !== undefined && guards.revisionId !== latest.revisionId) return fail('precondition');
    if (guards.codeSha256 !== undefined && guards.codeSha256 !== latest.codeSha256) return fail('code-sha-mismatch', { given: guards.codeSha256, current: latest.codeSha256 });
    // Checked and published with no request in between (synchronous); an unchanged $LATEST publishes nothing new.
    if (this.versions.isPublished(latest)) return ok(this.versions.publish(latest, guards.description));
    if (guards.maxVersions !== undefined && this.versions.count(name) >= guards.maxVersions) return fail('version-quota');
    // A new version gives $LATEST a new RevisionId, as Lambda does; the version remembers it, so an
    // unchanged $LATEST publishes nothing new.
    const published = { ...latest, revisionId: crypto.randomUUID() };
    this.functions.replace(published);
    return ok(this.versions.publish(published, guards.description));
  }

  /** ListVersionsByFunction: $LATEST first, then versions in order; `marker` is the last version seen. */
  listVersions(name: string, marker: string | undefined, maxItems: number): VersionsResult<{ versions: FunctionRecord[]; nextMarker?: string }> {
    const latest = this.functions.get(name);
    if (!latest) return fail('not-found');
    const head = marker === undefined ? [latest] : [];
    const after = marker === undefined || !isVersionNumber(marker) ? 0 : Number(marker);
    const rows = [...head, ...this.versions.list(name, after, maxItems + 1)];
    const versions = rows.slice(0, maxItems);
    return ok({ versions, nextMarker: rows.length > maxItems ? (versions[versions.length - 1].version ?? '$LATEST') : undefined });
  }

  /** DeleteFunction with a version Qualifier. */
  deleteVersion(name: string, version: string): VersionsResult<{ releasedCodeKey?: string }> {
    const latest = this.functions.get(name);
    if (!latest) return fail('not-found');
    return this.versions.delete(latest, version);
  }

  createAlias(name: string, alias: AliasRecord): VersionsResult<AliasRecord> {
    if (!this.functions.get(name)) return fail('not-found');
    const problem = routingProblem(alias);
    if (problem) return fail('invalid', { message: problem });
    return this.versions.createAlias(name, alias);
  }

  getAlias(name: string, aliasName: string): VersionsResult<AliasRecord> {
    if (!this.functions.get(name)) return fail('not-found');
    const alias = this.versions.getAlias(name, aliasName);
    return alias ? ok(alias) : fail('alias-not-found');
  }

  updateAlias(
    name: string,
    aliasName: string,
    changes: Partial<Pick<AliasRecord, 'functionVersion' | 'description' | 'additionalVersionWeights'>>,
    expectedRevisionId?: string,
  ): VersionsResult<AliasRecord> {
    if (!this.functions.get(name)) return fail('not-found');
    return this.versions.updateAlias(name, aliasName, changes, expectedRevisionId);
  }

  /**
   * Removes an alias with its URL config and policy (as Lambda does), so a later alias of the
   * same name starts without them. Returns the url-ids to drop from the global index.
   */
  deleteAlias(name: string, aliasName: string): VersionsResult<{ forgottenUrlIds: string[] }> {
    if (!this.functions.get(name)) return fail('not-found');
    if (!this.versions.deleteAlias(name, aliasName)) return fail('alias-not-found');
    const forgottenUrlIds = this.urls.delete(name, aliasName);
    this.policies.delete(name, aliasName);
    return ok({ forgottenUrlIds });
  }

  /** ListAliases in name order after `marker` (an alias name). */
  listAliases(name: string, functionVersion: string | undefined, marker: string | undefined, maxItems: number): VersionsResult<{ aliases: AliasRecord[]; nextMarker?: string }> {
    if (!this.functions.get(name)) return fail('not-found');
    const rows = this.versions.aliases(name, functionVersion).filter((a) => marker === undefined || a.name > marker);
    const aliases = rows.slice(0, maxItems);
    return ok({ aliases, nextMarker: rows.length > maxItems ? aliases[aliases.length - 1].name : undefined });
  }

  // --- A qualifier's own settings, kept on $LATEST's, a version's or an alias's record outside its
  // RevisionId (docs/VERSIONS.md): async invoke configs, runtime management, the recursion setting.
  // `qualifier` is '$LATEST', a version number or an alias name; each goes with its record.

  /** The async config of exactly `qualifier`, if it has one. */
  eventInvokeConfig(name: string, qualifier: string): EventInvokeConfig | undefined {
    return this.ownSettings(name, qualifier)?.eventInvokeConfig;
  }

  /**
   * Put (`merge` false) or Update (`merge` true) of `qualifier`'s async config: not-found when the
   * function or qualifier does not exist, no-config when an Update finds none to change.
   */
  writeEventInvokeConfig(name: string, qualifier: string, changes: EventInvokeConfigChanges, merge: boolean): Result<EventInvokeConfig, 'not-found' | 'no-config'> {
    const current = this.ownSettings(name, qualifier);
    if (!current) return fail('not-found');
    if (merge && !current.eventInvokeConfig) return fail('no-config');
    const config = nextEventInvokeConfig(current.eventInvokeConfig, changes, merge, Date.now() / 1000);
    this.writeOwnSettings(name, qualifier, { eventInvokeConfig: config });
    return ok(config);
  }

  /** Removes `qualifier`'s async config; false when it had none (or does not exist). */
  deleteEventInvokeConfig(name: string, qualifier: string): boolean {
    if (!this.ownSettings(name, qualifier)?.eventInvokeConfig) return false;
    this.writeOwnSettings(name, qualifier, { eventInvokeConfig: undefined });
    return true;
  }

  /** Every qualifier's async config: $LATEST, then versions in order, then aliases by name. */
  listEventInvokeConfigs(name: string): Result<{ qualifier: string; config: EventInvokeConfig }[], 'not-found'> {
    const latest = this.functions.get(name);
    if (!latest) return fail('not-found');
    const owners: { qualifier: string; config?: EventInvokeConfig }[] = [
      { qualifier: '$LATEST', config: latest.eventInvokeConfig },
      ...this.versions.list(name, 0, Number.MAX_SAFE_INTEGER).map((v) => ({ qualifier: v.version, config: v.eventInvokeConfig })),
      ...this.versions.aliases(name).map((a) => ({ qualifier: a.name, config: a.eventInvokeConfig })),
    ];
    return ok(owners.flatMap(({ qualifier, config }) => (config ? [{ qualifier, config }] : [])));
  }

  /**
   * What an async event runs and by which settings: the snapshot of `version` (absent: $LATEST)
   * and the async config of the qualifier it was invoked with (absent: $LATEST's), one call.
   */
  eventTarget(name: string, version: string | undefined, qualifier: string | undefined): { record: FunctionRecord; config?: EventInvokeConfig } | undefined {
    const record = version === undefined ? this.functions.get(name) : this.versions.get(name, version);
    if (!record) return undefined;
    const config = this.eventInvokeConfig(name, qualifier ?? '$LATEST');
    return config ? { record, config } : { record };
  }

  /** PutRuntimeManagementConfig of $LATEST or a version; not-found for anything else. */
  setRuntimeManagement(name: string, qualifier: string, runtimeManagement: RuntimeManagement): Result<FunctionRecord, 'not-found'> {
    const record = qualifier === '$LATEST' ? this.functions.get(name) : this.versions.get(name, qualifier);
    if (!record) return fail('not-found');
    this.writeOwnSettings(name, qualifier, { runtimeManagement });
    return ok({ ...record, runtimeManagement });
  }

  /** PutFunctionRecursionConfig: the function's (its $LATEST record's) setting. */
  setRecursiveLoop(name: string, recursiveLoop: 'Allow' | 'Terminate'): Result<FunctionRecord, 'not-found'> {
    const record = this.functions.get(name);
    if (!record) return fail('not-found');
    this.writeOwnSettings(name, '$LATEST', { recursiveLoop });
    return ok({ ...record, recursiveLoop });
  }

  /** The record holding `qualifier`'s own settings ($LATEST's, a version's or an alias's). */
  private ownSettings(name: string, qualifier: string): Pick<FunctionRecord, 'eventInvokeConfig' | 'runtimeManagement'> | undefined {
    if (!this.functions.get(name)) return undefined;
    if (qualifier === '$LATEST') return this.functions.get(name);
    return isVersionNumber(qualifier) ? this.versions.get(name, qualifier) : this.versions.getAlias(name, qualifier);
  }

  /** Writes `settings` onto `qualifier`'s record in place: no new RevisionId, no new LastModified. */
  private writeOwnSettings(name: string, qualifier: string, settings: Partial<Pick<FunctionRecord, 'eventInvokeConfig' | 'runtimeManagement' | 'recursiveLoop'>>): void {
    if (qualifier === '$LATEST') {
      const latest = this.functions.get(name);
      if (latest) this.functions.replace({ ...latest, ...settings });
    } else if (isVersionNumber(qualifier)) {
      const record = this.versions.get(name, qualifier);
      if (record) this.versions.replace({ ...record, ...settings });
    } else {
      const record = this.versions.getAlias(name, qualifier);
      // An alias holds only an async config of its own.
      if (record && 'eventInvokeConfig' in settings) this.versions.replaceAlias(name, { ...record, eventInvokeConfig: settings.eventInvokeConfig });
    }
  }

  // --- Function URLs and resource policies (docs/FUNCTION-URLS.md). `qualifier` is '' for the
  // unqualified function.

  /** Stores a new URL config; conflict when the function (and qualifier) already has one. */
  createFunctionUrl(config: FunctionUrlRecord): RegistryResult<FunctionUrlRecord> {
    if (!this.functions.get(config.functionName)) return fail('not-found');
    if (this.urls.get(config.functionName, config.qualifier)) return fail('conflict');
    this.urls.insert(config);
    return ok(config);
  }

  getFunctionUrl(functionName: string, qualifier: string): FunctionUrlRecord | undefined {
    return this.urls.get(functionName, qualifier);
  }

  updateFunctionUrl(
    functionName: string,
    qualifier: string,
    changes: Partial<Pick<FunctionUrlRecord, 'authType' | 'cors' | 'invokeMode'>>,
  ): FunctionUrlRecord | undefined {
    const current = this.urls.get(functionName, qualifier);
    if (!current) return undefined;
    const config: FunctionUrlRecord = { ...current, ...changes, lastModifiedTime: new Date().toISOString() };
    this.urls.replace(config);
    return config;
  }

  /** Removes the URL config; returns it so the caller can drop its url-id from the global index. */
  deleteFunctionUrl(functionName: string, qualifier: string): FunctionUrlRecord | undefined {
    const config = this.urls.get(functionName, qualifier);
    if (config) this.urls.delete(functionName, qualifier);
    return config;
  }

  /**
   * The function's URL configs in qualifier order after `marker`, and the next page's marker.
   * Markers are opaque (`q:` + the last qualifier), since the unqualified URL's qualifier is ''.
   */
  listFunctionUrls(functionName: string, marker: string | undefined, maxItems: number): { configs: FunctionUrlRecord[]; nextMarker?: string } {
    const after = marker?.startsWith('q:') ? marker.slice(2) : undefined;
    const rows = this.urls.page(functionName, after, maxItems + 1);
    const configs = rows.slice(0, maxItems);
    return { configs, nextMarker: rows.length > maxItems ? `q:${configs[configs.length - 1].qualifier}` : undefined };
  }

  /**
   * Everything a URL request needs in one call: the URL config (only if it still carries
   * `urlId`: a deleted and re-created URL has a new id), its resource policy and the function's
   * $LATEST record. Undefined when the URL or the function is gone.
   */
  functionUrlTarget(functionName: string, qualifier: string, urlId: string): FunctionUrlTarget | undefined {
    const url = this.urls.get(functionName, qualifier);
    const latest = this.functions.get(functionName);
    if (!url || url.urlId !== urlId || !latest) return undefined;
    return { url, policy: this.policies.get(functionName, qualifier), latest };
  }

  /** Adds a statement to the resource policy; conflict on a duplicate Sid, precondition on a stale RevisionId. */
  addPermission(functionName: string, qualifier: string, statement: PolicyStatement, expectedRevisionId?: string): RegistryResult<ResourcePolicy> {
    if (!this.functions.get(functionName)) return fail('not-found');
    const current = this.policies.get(functionName, qualifier);
    if (expectedRevisionId !== undefined && expectedRevisionId !== current?.revisionId) return fail('precondition');
    if (current?.statements.some((s) => s.Sid === statement.Sid)) return fail('conflict');
    return ok(this.policies.write(functionName, qualifier, [...(current?.statements ?? []), statement]));
  }

  /** Removes the statement `sid`; not-found when there is no such statement. */
  removePermission(functionName: string, qualifier: string, sid: string, expectedRevisionId?: string): RegistryResult<ResourcePolicy | undefined> {
    const current = this.policies.get(functionName, qualifier);
    if (!current || !current.statements.some((s) => s.Sid === sid)) return fail('not-found');
    if (expectedRevisionId !== undefined && expectedRevisionId !== current.revisionId) return fail('precondition');
    return ok(this.policies.write(functionName, qualifier, current.statements.filter((s) => s.Sid !== sid)));
  }

  getPolicy(functionName: string, qualifier: string): ResourcePolicy | undefined {
    return this.policies.get(functionName, qualifier);
  }

  /** Drops a function's URL configs and policies (DeleteFunction); returns the url-ids to unindex. */
  forgetFunctionUrls(functionName: string): string[] {
    const ids = this.urls.delete(functionName);
    this.policies.delete(functionName);
    return ids;
  }

  /** Drops every URL config and policy of the account (account deletion). */
  forgetAllFunctionUrls(): void {
    this.urls.delete();
    this.policies.delete();
  }

  // --- Layers (docs/LAYERS.md). Kept here rather than in an object of their own: a layer belongs
  // to one account as its functions do, so the account's object already is their coordination
  // atom (names, version counters, policy RevisionIds), and account deletion already empties it.

  /** Publishes the next version of `layer.layerName` (numbers are never reused). */
  publishLayerVersion(layer: Omit<LayerVersionRecord, 'version'>): LayerVersionRecord {
    return this.layers.publish(layer);
  }

  /** A layer version with its policy (absent when it has none); undefined when there is no such version. */
  getLayerVersion(layerName: string, version: number): { layer: LayerVersionRecord; policy?: LayerPolicy } | undefined {
    const layer = this.layers.get(layerName, version);
    if (!layer) return undefined;
    const policy = this.layers.getPolicy(layerName, version);
    return policy ? { layer, policy } : { layer };
  }

  /** The layer's versions, newest first, that list `filter`'s runtime and architecture (when given). */
  listLayerVersions(layerName: string, filter: LayerFilter = {}): LayerVersionRecord[] {
    return this.layers.versions(layerName).filter((layer) => matchesLayerFilter(layer, filter));
  }

  /** ListLayers: each layer's newest version that matches `filter`, in layer name order (layers with none left out). */
  listLayers(filter: LayerFilter = {}): LayerVersionRecord[] {
    return this.layers.names().flatMap((name) => this.listLayerVersions(name, filter).slice(0, 1));
  }

  /** DeleteLayerVersion: idempotent, as Lambda's. The zip stays (functions that use the version keep running). */
  deleteLayerVersion(layerName: string, version: number): void {
    this.layers.delete(layerName, version);
  }

  /** Adds a statement to the version's policy: not-found, conflict on a duplicate Sid, precondition on a stale RevisionId. */
  addLayerPermission(layerName: string, version: number, statement: PolicyStatement, expectedRevisionId?: string): RegistryResult<LayerPolicy> {
    if (!this.layers.get(layerName, version)) return fail('not-found');
    const current = this.layers.getPolicy(layerName, version);
    if (current?.statements.some((s) => s.Sid === statement.Sid)) return fail('conflict');
    if (expectedRevisionId !== undefined && expectedRevisionId !== current?.revisionId) return fail('precondition');
    return ok(this.layers.writePolicy(layerName, version, [...(current?.statements ?? []), statement]));
  }

  /** Removes statement `sid`: not-found (no version), precondition, statement-not-found. */
  removeLayerPermission(layerName: string, version: number, sid: string, expectedRevisionId?: string): Result<void, 'not-found' | 'precondition' | 'statement-not-found'> {
    if (!this.layers.get(layerName, version)) return fail('not-found');
    const current = this.layers.getPolicy(layerName, version);
    if (expectedRevisionId !== undefined && expectedRevisionId !== current?.revisionId) return fail('precondition');
    if (!current?.statements.some((s) => s.Sid === sid)) return fail('statement-not-found');
    this.layers.writePolicy(layerName, version, current.statements.filter((s) => s.Sid !== sid));
    return ok(undefined);
  }

  // --- Saved test events (docs/TEST-EVENTS.md): sealed here before they are stored, opened here
  // after they are read, so the table never holds an event in clear.

  /** The function's test events in name order; one that cannot be opened says why instead (fails closed). */
  async listTestEvents(functionName: string): Promise<RegistryResult<ListedTestEvent[]>> {
    if (!this.functions.get(functionName)) return fail('not-found');
    const stored = this.testEvents.list(functionName);
    return ok(await Promise.all(stored.map(async ({ name, sealedEvent, lastModified }): Promise<ListedTestEvent> => {
      try {
        return { name, lastModified, event: await this.cipher.open(sealedEvent, testEventContext(functionName, name)) };
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        console.error(`test event ${this.ctx.id.name}/${functionName}/${name} not decrypted: ${error.message}`);
        return { name, lastModified, unreadable: error.reason };
      }
    })));
  }

  /**
   * Creates or replaces the test event `name` of the function: `limit` when it would be the
   * function's 11th, `unsealable` when there is no key to seal it with (it is never stored in clear).
   */
  async putTestEvent(functionName: string, name: string, event: string): Promise<Result<TestEvent, 'not-found' | 'limit' | 'unsealable'>> {
    if (!this.functions.get(functionName)) return fail('not-found');
    let sealedEvent: string;
    try {
      sealedEvent = await this.cipher.seal(event, testEventContext(functionName, name));
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      return fail('unsealable');
    }
    // Synchronous from here: the checks and the write see the same rows.
    if (!this.functions.get(functionName)) return fail('not-found');
    if (!this.testEvents.has(functionName, name) && this.testEvents.count(functionName) >= TEST_EVENTS_PER_FUNCTION_MAX) return fail('limit');
    const lastModified = new Date().toISOString();
    this.testEvents.put(functionName, { name, sealedEvent, lastModified });
    return ok({ name, event, lastModified });
  }

  /** Removes the test event `name` of the function. */
  deleteTestEvent(functionName: string, name: string): Result<void, 'not-found' | 'event-not-found'> {
    if (!this.functions.get(functionName)) return fail('not-found');
    return this.testEvents.delete(functionName, name) > 0 ? ok(undefined) : fail('event-not-found');
  }

  /**
   * `fields` with `environment` sealed into `sealedEnvironment` (removed when there are no
   * variables, so an update to none leaves no sealed text behind).
   */
  private async withSealedEnvironment<T extends object>(name: string, fields: T, environment: Record<string, string>): Promise<T & { sealedEnvironment?: string }> {
    return { ...fields, sealedEnvironment: await sealEnvironment(this.cipher, name, environment) };
  }
}
