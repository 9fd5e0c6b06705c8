/** Tables of migration 016 (statistics rollups, domain/stats-rollup.ts); merged into Database in schema.ts. */

export interface StatsRollupTable {
  /** Jurisdiction node: '/' or the path of a government unit the case belongs to. */
  node: string;
  /** Grouping dimension (category, channel, target, unit, receivingUnit) and its key. */
  dim: string;
  key: string;
  /** Anchor of the measures (received, acceptance, assignment, completion, replied, same) and its month 'YYYY-MM'. */
  kind: string;
  month: string;
  /** County (region_code) of the cases. */
  region: string;
  /** '' or the accused unit paths (JSON) of denunciations, for the denunciation rule. */
  den: string;
  n: number;
  hit: number;
  hit2: number;
  pending: number;
}

/** The rows of stats_rollup summed over all counties (migration 019); dims also 'region' (key = county). */
export type StatsRollupTotalTable = Omit<StatsRollupTable, 'region'>;

export interface StatsRollupStateTable {
  id: number;
  /** 1 once every case is in the rollups; 0 while the build (in chunks of cases by number) goes on. */
  built: number;
  built_at: string | null;
  /** While building: the number (seq_no) of the last case the committed chunks hold (0 = none yet; migration 024). */
  upto_seq: number;
}

/** A new case whose contributions the rollups do not hold yet (migration 020): applied in batches. */
export interface StatsRollupPendingTable {
  case_id: string;
}

/** A cluster of alike cases (possible group matter) supervisors were notified of. */
export interface HotspotClusterTable {
  id: string;
  /** County (region_code). */
  region: string;
  /** JSON array of the member case ids. */
  case_ids: string;
  petitioners: number;
  /** JSON array of the cluster's most common words. */
  words: string;
  created_at: string;
  updated_at: string;
}

export interface HotspotWatchTable {
  id: number;
  /** submitted_at of the newest case the watch has looked at. */
  last_submitted_at: string;
}

export interface StatsRollupTables {
  stats_rollup: StatsRollupTable;
  stats_rollup_total: StatsRollupTotalTable;
  stats_rollup_state: StatsRollupStateTable;
  stats_rollup_pending: StatsRollupPendingTable;
  hotspot_cluster: HotspotClusterTable;
  hotspot_watch: HotspotWatchTable;
}
