/** Table of migration 011 (the public tracking projection); merged into Database in schema.ts. */

/**
 * One row per case: the public tracking view (GET /api/track/:queryCode) as recorded after the
 * case's last change, written in the same transaction as that change, so tracking is one indexed
 * read. What depends on the day (deadline countdowns, whether a review may still be requested) is
 * kept as its inputs and finished when read. Holds nothing that the tracking view does not show:
 * no personal data, nothing internal.
 */
export interface CaseTrackingTable {
  case_id: string;
  query_code_hash: string;
  /** JSON: the view without `deadlines` and `allowedActions` (services/case-view.ts TrackingParts.view). */
  view: string;
  /** JSON: { deadlines: [{clock,label,due}], actions: string[], reviewUntil: string|null }. */
  clocks: string;
  /** services/tracking.service.ts trackingFormat when written; rows of another format are rebuilt. */
  format: number;
}

export interface TrackingTables {
  case_tracking: CaseTrackingTable;
}
