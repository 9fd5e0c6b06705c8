/**
 * The unit tree (单位) of Hebei province, built from @vant/area-data (GB/T 2260 codes).
 * Every region gets a government node; under it hang its petition bureau (信访局), its usual
 * functional departments and, for the province and cities, the leaders' mailbox office.
 */
import { areaList } from '@vant/area-data';

export type UnitKind = 'government' | 'bureau' | 'department' | 'mailbox';
export type UnitLevel = 'province' | 'city' | 'county';

export interface UnitSeed {
  id: string;
  parentId: string | null;
  name: string;
  kind: UnitKind;
  level: UnitLevel;
  regionCode: string;
  deptCode: string | null;
  sort: number;
  /** 省直管县: a county-level city administered directly by the province, though listed under a city in GB/T 2260. */
  directlyAdministered?: boolean;
}

export interface DepartmentDef {
  code: string;
  provinceName: string;
  cityName: string;
  countyName: string;
}

/** Region cascader node for the public catalogue. */
export interface RegionNode {
  code: string;
  name: string;
  children?: RegionNode[];
}

export const HEBEI_CODE = '130000';
/**
 * 雄安新区: GB/T 2260 code 133100, missing from @vant/area-data, so added here as a city-level
 * region. Its three counties (雄县 130638, 容城县 130629, 安新县 130632) stay under 保定 as GB/T 2260 lists them.
 */
export const XIONGAN_CODE = '133100';
const XIONGAN_NAME = '雄安新区';
/** 省直管县 in Hebei: 辛集市 and 定州市. */
export const DIRECTLY_ADMINISTERED_CODES: readonly string[] = ['130181', '130682'];

/** Functional departments at each level; the unit name is the region name followed by the level's name. */
export const departmentCatalog: DepartmentDef[] = [
  { code: 'rs', provinceName: '人力资源和社会保障厅', cityName: '人力资源和社会保障局', countyName: '人力资源和社会保障局' },
  { code: 'zj', provinceName: '住房和城乡建设厅', cityName: '住房和城乡建设局', countyName: '住房和城乡建设局' },
  { code: 'zr', provinceName: '自然资源厅', cityName: '自然资源局', countyName: '自然资源和规划局' },
  { code: 'ga', provinceName: '公安厅', cityName: '公安局', countyName: '公安局' },
  { code: 'jy', provinceName: '教育厅', cityName: '教育局', countyName: '教育局' },
  { code: 'wj', provinceName: '卫生健康委员会', cityName: '卫生健康委员会', countyName: '卫生健康委员会' },
  { code: 'sthj', provinceName: '生态环境厅', cityName: '生态环境局', countyName: '生态环境分局' },
  { code: 'jt', provinceName: '交通运输厅', cityName: '交通运输局', countyName: '交通运输局' },
  { code: 'jw', provinceName: '纪委监委', cityName: '纪委监委', countyName: '纪委监委' },
  { code: 'mz', provinceName: '民政厅', cityName: '民政局', countyName: '民政局' },
  { code: 'nync', provinceName: '农业农村厅', cityName: '农业农村局', countyName: '农业农村局' },
  { code: 'sj', provinceName: '市场监督管理局', cityName: '市场监督管理局', countyName: '市场监督管理局' },
  { code: 'sf', provinceName: '司法厅', cityName: '司法局', countyName: '司法局' },
];

interface Region {
  code: string;
  name: string;
  level: UnitLevel;
  children: Region[];
}

/** Hebei's regions from area-data plus 雄安新区, cities and counties in code order. */
function hebeiRegions(): Region {
  const name = areaList.province_list[HEBEI_CODE];
  if (name === undefined) throw new Error('@vant/area-data has no 河北省 (130000)');
  const cities = new Map<string, Region>();
  for (const [code, cityName] of Object.entries(areaList.city_list).sort(byKey)) {
    if (code.startsWith('13')) cities.set(code, { code, name: cityName, level: 'city', children: [] });
  }
  if (!cities.has(XIONGAN_CODE)) {
    cities.set(XIONGAN_CODE, { code: XIONGAN_CODE, name: XIONGAN_NAME, level: 'city', children: [] });
  }
  for (const [code, countyName] of Object.entries(areaList.county_list).sort(byKey)) {
    if (!code.startsWith('13')) continue;
    const city = cities.get(`${code.slice(0, 4)}00`);
    if (city === undefined) throw new Error(`county ${code} ${countyName} has no city in @vant/area-data`);
    city.children.push({ code, name: countyName, level: 'county', children: [] });
  }
  const sorted = [...cities.values()].sort((a, b) => a.code.localeCompare(b.code));
  return { code: HEBEI_CODE, name, level: 'province', children: sorted };
}

function byKey(a: [string, string], b: [string, string]): number {
  return a[0].localeCompare(b[0]);
}

function departmentName(def: DepartmentDef, level: UnitLevel): string {
  switch (level) {
    case 'province':
      return def.provinceName;
    case 'city':
      return def.cityName;
    case 'county':
      return def.countyName;
  }
}

function mailboxName(region: Region): string | null {
  if (region.code === XIONGAN_CODE) return `${region.name}领导信箱`;
  switch (region.level) {
    case 'province':
      return `${region.name}省长信箱`;
    case 'city':
      return `${region.name}市长信箱`;
    case 'county':
      return null;
  }
}

/** Builds the whole Hebei unit tree, depth first, so every parent comes before its children. */
export function buildHebeiUnits(): UnitSeed[] {
  const units: UnitSeed[] = [];
  const visit = (region: Region, parentId: string | null, sort: number): void => {
    const base = { level: region.level, regionCode: region.code };
    const gov: UnitSeed = {
      id: region.code,
      parentId,
      name: region.name,
      kind: 'government',
      ...base,
      deptCode: null,
      sort,
    };
    if (DIRECTLY_ADMINISTERED_CODES.includes(region.code)) gov.directlyAdministered = true;
    units.push(gov);

    let childSort = 0;
    units.push({
      id: `${region.code}-xfj`,
      parentId: gov.id,
      name: `${region.name}信访局`,
      kind: 'bureau',
      ...base,
      deptCode: null,
      sort: childSort++,
    });
    const mailbox = mailboxName(region);
    if (mailbox !== null) {
      units.push({
        id: `${region.code}-mailbox`,
        parentId: gov.id,
        name: mailbox,
        kind: 'mailbox',
        ...base,
        deptCode: null,
        sort: childSort++,
      });
    }
    for (const def of departmentCatalog) {
      units.push({
        id: `${region.code}-${def.code}`,
        parentId: gov.id,
        name: `${region.name}${departmentName(def, region.level)}`,
        kind: 'department',
        ...base,
        deptCode: def.code,
        sort: childSort++,
      });
    }
    for (const child of region.children) visit(child, gov.id, childSort++);
  };
  visit(hebeiRegions(), null, 0);
  return units;
}

/** Returns the Hebei province → city → county cascader data for the public catalogue, including 雄安新区. */
export function regionTree(): RegionNode[] {
  const toNode = (r: Region): RegionNode =>
    r.children.length > 0 ? { code: r.code, name: r.name, children: r.children.map(toNode) } : { code: r.code, name: r.name };
  return [toNode(hebeiRegions())];
}
