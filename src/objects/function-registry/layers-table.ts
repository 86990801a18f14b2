// The `layer_versions`, `layer_counters` and `layer_policies` tables of a FunctionRegistry: the
// account's published layer versions (docs/LAYERS.md). A version's record is immutable; its
// policy is a row of its own. Version numbers are never reused, even after a delete.
import type { LayerPolicy, LayerVersionRecord } from '../../records/layers';
import type { PolicyStatement } from '../../records/function-url';
import { jsonColumn, type Sql } from '../storage/rows';

const record = jsonColumn<LayerVersionRecord>('record');
const policy = jsonColumn<LayerPolicy>('policy');

export class LayersTable {
  constructor(private readonly db: Sql) {}

  /** Stores `layer` as the next version of its layer; returns it numbered. */
  publish(layer: Omit<LayerVersionRecord, 'version'>): LayerVersionRecord {
    const counter = this.db.one<{ last_version: number }>('SELECT last_version FROM layer_counters WHERE layer_name = ?', layer.layerName);
    const value: LayerVersionRecord = { ...layer, version: (counter?.last_version ?? 0) + 1 };
    this.db.run('INSERT OR REPLACE INTO layer_counters VALUES (?, ?)', value.layerName, value.version);
    this.db.run('INSERT INTO layer_versions VALUES (?, ?, ?)', value.layerName, value.version, record.encode(value));
    return value;
  }

  get(layerName: string, version: number): LayerVersionRecord | undefined {
    return record.one(this.db, 'SELECT record FROM layer_versions WHERE layer_name = ? AND version = ?', layerName, version);
  }

  /** The layer's versions, newest first (ListLayerVersions' order). */
  versions(layerName: string): LayerVersionRecord[] {
    return record.all(this.db, 'SELECT record FROM layer_versions WHERE layer_name = ? ORDER BY version DESC', layerName);
  }

  /** Names of the layers with at least one version, in name order. */
  names(): string[] {
    return this.db.all<{ layer_name: string }>('SELECT DISTINCT layer_name FROM layer_versions ORDER BY layer_name').map((r) => r.layer_name);
  }

  /** Removes a version and its policy; false when there was none. */
  delete(layerName: string, version: number): boolean {
    this.db.run('DELETE FROM layer_policies WHERE layer_name = ? AND version = ?', layerName, version);
    return this.db.run('DELETE FROM layer_versions WHERE layer_name = ? AND version = ?', layerName, version) > 0;
  }

  /** Zip bytes of every version still published (GetAccountSettings' TotalCodeSize). */
  totalCodeSize(): number {
    return this.db.one<{ n: number | null }>("SELECT SUM(json_extract(record, '$.codeSize')) AS n FROM layer_versions")?.n ?? 0;
  }

  getPolicy(layerName: string, version: number): LayerPolicy | undefined {
    return policy.one(this.db, 'SELECT policy FROM layer_policies WHERE layer_name = ? AND version = ?', layerName, version);
  }

  /** Stores the statements under a new RevisionId; no statements means no policy (GetLayerVersionPolicy 404). */
  writePolicy(layerName: string, version: number, statements: PolicyStatement[]): LayerPolicy {
    const value: LayerPolicy = { statements, revisionId: crypto.randomUUID() };
    if (statements.length === 0) this.db.run('DELETE FROM layer_policies WHERE layer_name = ? AND version = ?', layerName, version);
    else this.db.run('INSERT OR REPLACE INTO layer_policies VALUES (?, ?, ?)', layerName, version, policy.encode(value));
    return value;
  }

  /** Removes every layer, version counter and policy of the account (account deletion). */
  deleteAll(): void {
    this.db.run('DELETE FROM layer_versions');
    this.db.run('DELETE FROM layer_counters');
    this.db.run('DELETE FROM layer_policies');
  }
}
