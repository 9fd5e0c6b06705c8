/** An in-memory snapshot of the unit tree: jurisdiction and subtree checks without a query. */
import type { UnitRow } from '../store/unit.repository.js';

export interface Unit {
  id: string;
  parentId: string | null;
  name: string;
  kind: 'government' | 'bureau' | 'department' | 'mailbox';
  level: 'province' | 'city' | 'county';
  regionCode: string;
  deptCode: string | null;
  path: string;
}

export class UnitDirectory {
  private readonly byId = new Map<string, Unit>();
  private readonly bureauByRegion = new Map<string, Unit>();
  private readonly children = new Map<string | null, Unit[]>();

  constructor(rows: UnitRow[]) {
    for (const r of rows) {
      const u: Unit = {
        id: r.id,
        parentId: r.parent_id,
        name: r.name,
        kind: r.kind as Unit['kind'],
        level: r.level as Unit['level'],
        regionCode: r.region_code,
        deptCode: r.dept_code,
        path: r.path,
      };
      this.byId.set(u.id, u);
      if (u.kind === 'bureau') this.bureauByRegion.set(u.regionCode, u);
      const list = this.children.get(u.parentId) ?? [];
      list.push(u);
      this.children.set(u.parentId, list);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Unit | undefined {
    return this.byId.get(id);
  }

  all(): Unit[] {
    return [...this.byId.values()];
  }

  childrenOf(id: string | null): Unit[] {
    return this.children.get(id) ?? [];
  }

  /** The petition bureau for a region code (county, else its city, else the province). */
  bureauFor(regionCode: string): Unit | undefined {
    const candidates = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`];
    for (const c of candidates) {
      const b = this.bureauByRegion.get(c);
      if (b) return b;
    }
    return undefined;
  }

  /**
   * Jurisdiction of a staff member's unit: a petition bureau or a leaders' mailbox office acts for
   * its whole government (every unit of that region and below); a department for itself and below.
   */
  scopeOf(unitId: string): Unit | undefined {
    const u = this.byId.get(unitId);
    if (!u) return undefined;
    if ((u.kind === 'bureau' || u.kind === 'mailbox') && u.parentId) return this.byId.get(u.parentId) ?? u;
    return u;
  }

  /** Materialised paths of a unit and every unit above it. */
  ancestorPaths(unitId: string): string[] {
    const u = this.byId.get(unitId);
    if (!u) return [];
    const parts = u.path.split('/').filter(Boolean);
    return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
  }

  /** Full display name with the government above, e.g. '石家庄市 / 长安区 / 长安区住房和城乡建设局'. */
  displayName(unitId: string): string {
    return this.byId.get(unitId)?.name ?? unitId;
  }
}
