/** The public catalogue: what may be raised where, and where matters outside the scope go. */
import type { AppContext } from './context.js';
import { acceptanceScope, categories, guidanceChannels, rejectReasons } from '../domain/catalog.js';
import { regionTree } from '../store/seed/units.js';

let regionsCache: ReturnType<typeof regionTree> | undefined;

/** Categories, regions (GB/T 2260), targets (bureau and leaders' mailboxes), scope and guidance. */
export function catalog(ctx: AppContext) {
  regionsCache ??= regionTree();
  const mailboxes = ctx.units
    .all()
    .filter((u) => u.kind === 'mailbox')
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((u) => ({ code: `mailbox:${u.regionCode}`, name: u.name, kind: 'mailbox' as const, regionCode: u.regionCode }));
  return {
    categories,
    regions: regionsCache,
    targets: [{ code: 'bureau', name: '网上信访（信访局受理）', kind: 'bureau' as const, regionCode: null }, ...mailboxes],
    acceptanceScope,
    guidanceChannels,
    rejectReasons,
    clocks: Object.fromEntries(Object.entries(ctx.clocks).map(([k, v]) => [k, { ...v }])),
    coveredYears: ctx.calendar.coveredYears,
  };
}
