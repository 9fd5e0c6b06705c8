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

export interface StatsRollupStateTable {
  id: number;
  built: number;
  built_at: string | null;
}

export interface StatsRollupTables {
  stats_rollup: StatsRollupTable;
  stats_rollup_state: StatsRollupStateTable;
}
