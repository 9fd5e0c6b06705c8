import { areaList } from '@vant/area-data';
import { describe, it, expect } from 'vitest';
import { buildHebeiUnits, departmentCatalog, regionTree, type UnitSeed } from './units.js';

const units = buildHebeiUnits();
const byId = new Map(units.map((u) => [u.id, u]));
const hebeiCounties = Object.entries(areaList.county_list).filter(([code]) => code.startsWith('13'));
const hebeiCities = Object.entries(areaList.city_list).filter(([code]) => code.startsWith('13'));

function unit(id: string): UnitSeed {
  const u = byId.get(id);
  if (u === undefined) throw new Error(`no unit ${id}`);
  return u;
}

describe('buildHebeiUnits: shape', () => {
  it('has one province, 11 cities plus 雄安新区, and every county area-data lists', () => {
    const govs = units.filter((u) => u.kind === 'government');
    expect(govs.filter((u) => u.level === 'province').map((u) => u.name)).toEqual(['河北省']);
    const cities = govs.filter((u) => u.level === 'city');
    expect(hebeiCities).toHaveLength(11);
    expect(cities).toHaveLength(12);
    for (const [code, name] of hebeiCities) expect(unit(code).name).toBe(name);
    expect(unit('133100')).toMatchObject({ name: '雄安新区', level: 'city', parentId: '130000' });

    const counties = govs.filter((u) => u.level === 'county');
    expect(counties).toHaveLength(hebeiCounties.length);
    for (const [code, name] of hebeiCounties) {
      expect(unit(code)).toMatchObject({ name, level: 'county', kind: 'government', parentId: `${code.slice(0, 4)}00` });
    }
  });

  it('gives every region a bureau and every department; mailboxes at province and city level only', () => {
    const govs = units.filter((u) => u.kind === 'government');
    for (const g of govs) {
      expect(unit(`${g.id}-xfj`)).toMatchObject({ kind: 'bureau', parentId: g.id, level: g.level, regionCode: g.id });
      for (const d of departmentCatalog) {
        expect(unit(`${g.id}-${d.code}`)).toMatchObject({ kind: 'department', deptCode: d.code, parentId: g.id, regionCode: g.id });
      }
      const mailbox = byId.get(`${g.id}-mailbox`);
      if (g.level === 'county') expect(mailbox).toBeUndefined();
      else expect(mailbox).toMatchObject({ kind: 'mailbox', parentId: g.id, level: g.level });
    }
    expect(units.filter((u) => u.kind === 'mailbox')).toHaveLength(13);
    const perRegion = 1 + 1 + departmentCatalog.length;
    expect(units).toHaveLength(13 * (perRegion + 1) + hebeiCounties.length * perRegion);
  });

  it('has unique ids and sorts, and every parent exists and precedes its child', () => {
    expect(byId.size).toBe(units.length);
    const seen = new Set<string>();
    const sortsByParent = new Map<string | null, Set<number>>();
    for (const u of units) {
      if (u.parentId === null) expect(u.id).toBe('130000');
      else expect(seen.has(u.parentId), `${u.id} before its parent ${u.parentId}`).toBe(true);
      seen.add(u.id);
      const sorts = sortsByParent.get(u.parentId) ?? new Set<number>();
      expect(sorts.has(u.sort), `duplicate sort under ${u.parentId}`).toBe(false);
      sorts.add(u.sort);
      sortsByParent.set(u.parentId, sorts);
    }
    expect(units[0]?.id).toBe('130000');
  });

  it('uses ids without slashes, so they fit a materialised path', () => {
    for (const u of units) expect(u.id).toMatch(/^\d{6}(-[a-z]+)?$/);
  });
});

describe('buildHebeiUnits: names', () => {
  it('names the province level', () => {
    expect(unit('130000-xfj').name).toBe('河北省信访局');
    expect(unit('130000-mailbox').name).toBe('河北省省长信箱');
    expect(unit('130000-rs').name).toBe('河北省人力资源和社会保障厅');
    expect(unit('130000-jw').name).toBe('河北省纪委监委');
    expect(unit('130000-sj').name).toBe('河北省市场监督管理局');
    expect(unit('130000-wj').name).toBe('河北省卫生健康委员会');
  });

  it('names the city level', () => {
    expect(unit('130100-xfj').name).toBe('石家庄市信访局');
    expect(unit('130100-mailbox').name).toBe('石家庄市市长信箱');
    expect(unit('130100-rs').name).toBe('石家庄市人力资源和社会保障局');
    expect(unit('130100-jw').name).toBe('石家庄市纪委监委');
    expect(unit('130100-sthj').name).toBe('石家庄市生态环境局');
    expect(unit('133100-mailbox').name).toBe('雄安新区领导信箱');
    expect(unit('133100-xfj').name).toBe('雄安新区信访局');
  });

  it('names the county level', () => {
    expect(unit('130102').name).toBe('长安区');
    expect(unit('130102-xfj').name).toBe('长安区信访局');
    expect(unit('130102-rs').name).toBe('长安区人力资源和社会保障局');
    expect(unit('130102-sthj').name).toBe('长安区生态环境分局');
    expect(unit('130102-zr').name).toBe('长安区自然资源和规划局');
    expect(unit('130102-jw').name).toBe('长安区纪委监委');
    expect(unit('130171-xfj').name).toBe('石家庄高新技术产业开发区信访局');
  });
});

describe('buildHebeiUnits: Hebei specifics', () => {
  it('flags 定州 and 辛集 as 省直管县 but keeps them under their cities', () => {
    expect(unit('130682')).toMatchObject({ name: '定州市', parentId: '130600', directlyAdministered: true });
    expect(unit('130181')).toMatchObject({ name: '辛集市', parentId: '130100', directlyAdministered: true });
    expect(units.filter((u) => u.directlyAdministered === true).map((u) => u.id).sort()).toEqual(['130181', '130682']);
  });

  it('keeps 雄县, 容城县 and 安新县 under 保定', () => {
    for (const code of ['130638', '130629', '130632']) expect(unit(code).parentId).toBe('130600');
    expect(units.filter((u) => u.parentId === '133100' && u.kind === 'government')).toEqual([]);
  });
});

describe('regionTree', () => {
  const tree = regionTree();

  it('is Hebei → 12 city-level regions → counties', () => {
    expect(tree).toHaveLength(1);
    const hebei = tree[0];
    expect(hebei?.code).toBe('130000');
    expect(hebei?.name).toBe('河北省');
    expect(hebei?.children?.map((c) => c.name)).toEqual([
      '石家庄市', '唐山市', '秦皇岛市', '邯郸市', '邢台市', '保定市',
      '张家口市', '承德市', '沧州市', '廊坊市', '衡水市', '雄安新区',
    ]);
    const counties = (hebei?.children ?? []).flatMap((c) => c.children ?? []);
    expect(counties).toHaveLength(hebeiCounties.length);
    expect(counties.every((c) => c.children === undefined)).toBe(true);
    const xiongan = hebei?.children?.find((c) => c.code === '133100');
    expect(xiongan).toEqual({ code: '133100', name: '雄安新区' });
  });

  it('agrees with the unit tree', () => {
    const govCodes = units.filter((u) => u.kind === 'government').map((u) => u.id).sort();
    const walk = (n: { code: string; children?: { code: string }[] }): string[] => [
      n.code,
      ...(n.children ?? []).flatMap((c) => walk(c)),
    ];
    expect(tree.flatMap((n) => walk(n)).sort()).toEqual(govCodes);
  });
});
