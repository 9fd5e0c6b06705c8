/**
 * 统计分析 dashboard: the measures for a period, monthly trends, shares by channel and category,
 * regions ranked (click a region to go one level down), units ranked by timeliness and
 * satisfaction, overdue now; every number opens the cases behind it; every table exports.
 * Lazy-loaded from OfficeApp, so echarts never reaches the portal.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, DatePicker, Radio, Row, Segmented, Select, Space, Spin, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { api, errorMessage } from '../../shared/api';
import { EChart, type ChartOption } from './EChart';
import { DrillDrawer, type Drill } from './DrillDrawer';
import { HotspotPanel } from './HotspotPanel';
import { groupLabels, measureLabels, pct, qs, rateKeys, type Filters, type MeasureKey, type RateKey, type StatsResponse, type StatsRow } from './types';

/** The calendar quarter `back` quarters before this one (dayjs without its quarter plugin). */
function quarter(back: number): { label: string; range: [string, string] } {
  const startThis = dayjs().month(Math.floor(dayjs().month() / 3) * 3).startOf('month');
  const start = startThis.subtract(3 * back, 'month');
  const end = start.add(3, 'month').subtract(1, 'day');
  return { label: `${start.year()}年第${Math.floor(start.month() / 3) + 1}季度`, range: [start.format('YYYY-MM-DD'), (back === 0 ? dayjs() : end).format('YYYY-MM-DD')] };
}
const lastQuarter = (): [dayjs.Dayjs, dayjs.Dayjs] => {
  const q = quarter(1).range;
  return [dayjs(q[0]), dayjs(q[1])];
};

/** One-click periods (本年, quarters, last month, the last 12 months). */
function periodPresets(): { key: string; label: string; range: [string, string] }[] {
  const d = dayjs();
  return [
    { key: 'year', label: '本年', range: [d.startOf('year').format('YYYY-MM-DD'), d.format('YYYY-MM-DD')] },
    { key: 'q0', label: '本季度', range: quarter(0).range },
    { key: 'q1', label: '上季度', range: quarter(1).range },
    { key: 'm1', label: '上月', range: [d.subtract(1, 'month').startOf('month').format('YYYY-MM-DD'), d.subtract(1, 'month').endOf('month').format('YYYY-MM-DD')] },
    { key: 'y1', label: '近一年', range: [d.subtract(1, 'year').add(1, 'day').format('YYYY-MM-DD'), d.format('YYYY-MM-DD')] },
  ];
}

function useStats(filters: Filters, groupBy: string, level?: string, enabled = true) {
  const [data, setData] = useState<StatsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = qs(filters, { groupBy, level });
  useEffect(() => {
    if (!enabled) {
      setData(null);
      return;
    }
    let live = true;
    setError(null);
    api
      .get<StatsResponse>(`/api/office/stats?${query}`)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [query, enabled]);
  return { data, error, query };
}

function Exports({ query }: { query: string }) {
  return (
    <Space>
      <Button size="small" href={`/api/office/stats?${query}&format=csv`}>
        CSV
      </Button>
      <Button size="small" href={`/api/office/stats?${query}&format=xlsx`}>
        Excel
      </Button>
    </Space>
  );
}

/** A table of groups with every measure; each number opens its cases. */
function MeasureTable({
  rows,
  groupBy,
  level,
  onDrill,
  measures = rateKeys,
  sortBy,
  filters,
  onLabel,
  label: ariaLabel,
}: {
  rows: StatsRow[];
  groupBy: string;
  level?: string | undefined;
  onDrill: (d: Drill) => void;
  measures?: readonly RateKey[];
  sortBy?: RateKey | undefined;
  /** Filters of this table when not the page's (passed on to the drill-down). */
  filters?: Filters | undefined;
  /** Clicking a group's name (e.g. a county: its categories). */
  onLabel?: ((r: StatsRow) => void) | undefined;
  label?: string | undefined;
}) {
  const sorted = useMemo(() => {
    if (!sortBy) return rows;
    return [...rows].sort((a, b) => (a[sortBy].rate ?? 2) - (b[sortBy].rate ?? 2));
  }, [rows, sortBy]);
  const link = (r: StatsRow, measure: MeasureKey, text: string, part: Drill['part'] = 'due') => (
    <Typography.Link onClick={() => onDrill({ measure, part, groupBy, level, key: r.key, label: r.label, filters })} aria-label={`${r.label} ${measureLabels[measure]}${part === 'miss' ? '未达标' : ''}的信访件`}>
      {text}
    </Typography.Link>
  );
  const columns: ColumnsType<StatsRow> = [
    {
      title: groupLabels[groupBy] ?? '分组',
      dataIndex: 'label',
      fixed: 'left',
      render: (v: string, r) => (onLabel ? <Typography.Link onClick={() => onLabel(r)}>{v}</Typography.Link> : v),
    },
    { title: '总量', dataIndex: 'volume', align: 'right', sorter: (a, b) => a.volume - b.volume, render: (v: number, r) => link(r, 'volume', String(v)) },
    ...measures.map((m) => ({
      title: measureLabels[m],
      key: m,
      align: 'right' as const,
      sorter: (a: StatsRow, b: StatsRow) => (a[m].rate ?? -1) - (b[m].rate ?? -1),
      render: (_: unknown, r: StatsRow) => (
        <span title={`${r[m].hit} / ${r[m].due}`}>
          {link(r, m, pct(r[m]), 'miss')} <Typography.Text type="secondary">({r[m].hit}/{r[m].due})</Typography.Text>
        </span>
      ),
    })),
    { title: '当前超期', dataIndex: 'overdue', align: 'right', render: (v: number, r) => (v > 0 ? link(r, 'overdue', String(v)) : '0') },
  ];
  return <Table<StatsRow> rowKey="key" size="small" columns={columns} dataSource={sorted} pagination={sorted.length > 30 ? { pageSize: 30, showSizeChanger: false } : false} scroll={{ x: true }} aria-label={ariaLabel} />;
}

export default function StatsPage() {
  const [range, setRange] = useState<[string, string]>([dayjs().startOf('year').format('YYYY-MM-DD'), dayjs().format('YYYY-MM-DD')]);
  const [regionPath, setRegionPath] = useState<{ code: string; name: string }[]>([]);
  const [groupBy, setGroupBy] = useState('category');
  const [preset, setPreset] = useState<string | null>('year');
  // The region ranking's level: counties across the viewer's jurisdiction by default, so the worst one is on top.
  const [regionLevel, setRegionLevel] = useState<'city' | 'county'>('county');
  const [focus, setFocus] = useState<{ code: string; name: string } | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const region = regionPath.at(-1)?.code;
  const filters: Filters = { from: range[0], to: range[1], region };
  const main = useStats(filters, groupBy);
  const months = useStats(filters, 'month');
  const channels = useStats(filters, 'channel');
  const categories = useStats(filters, 'category');
  const regions = useStats(filters, 'region', regionPath.length === 0 ? regionLevel : undefined);
  const focusFilters: Filters = { ...filters, region: focus?.code };
  const focusCategories = useStats(focusFilters, 'category', undefined, focus !== null);
  const units = useStats(filters, 'unit');
  const onDrill = useCallback((d: Drill) => setDrill(d), []);
  const total = main.data?.total;

  const trend: ChartOption = useMemo(() => {
    const rows = months.data?.rows ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['信访总量', '按期办结率', '满意率'] },
      grid: { left: 48, right: 48, bottom: 32 },
      xAxis: { type: 'category', data: rows.map((r) => r.key) },
      yAxis: [{ type: 'value', name: '件' }, { type: 'value', name: '%', max: 100 }],
      series: [
        { name: '信访总量', type: 'bar', data: rows.map((r) => r.volume) },
        { name: '按期办结率', type: 'line', yAxisIndex: 1, data: rows.map((r) => (r.completion.rate === null ? null : +(r.completion.rate * 100).toFixed(1))) },
        { name: '满意率', type: 'line', yAxisIndex: 1, data: rows.map((r) => (r.satisfaction.rate === null ? null : +(r.satisfaction.rate * 100).toFixed(1))) },
      ],
    };
  }, [months.data]);
  const pie = (rows: StatsRow[] | undefined, name: string): ChartOption => ({
    tooltip: { trigger: 'item', formatter: '{b}: {c} 件 ({d}%)' },
    series: [{ name, type: 'pie', radius: ['35%', '65%'], data: (rows ?? []).filter((r) => r.volume > 0).map((r) => ({ name: r.label, value: r.volume })) }],
  });
  const drillByLabel = (rows: StatsRow[] | undefined, groupBy: string) => (label: string) => {
    const r = rows?.find((x) => x.label === label);
    if (r) setDrill({ measure: 'volume', part: 'due', groupBy, key: r.key, label: r.label });
  };

  const error = main.error ?? months.error;
  return (
    <div style={{ padding: 16 }}>
      <Space wrap style={{ marginBottom: 12 }} align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          统计分析
        </Typography.Title>
        <Radio.Group
          aria-label="统计期间"
          optionType="button"
          buttonStyle="solid"
          value={preset}
          onChange={(e) => {
            const p = periodPresets().find((x) => x.key === e.target.value);
            if (p) {
              setPreset(p.key);
              setRange(p.range);
              setFocus(null);
            }
          }}
          options={periodPresets().map((p) => ({ value: p.key, label: p.label }))}
        />
        <Select
          aria-label="选择季度"
          placeholder="选择季度"
          style={{ width: 150 }}
          value={null}
          onChange={(k: number) => {
            setPreset(k === 0 ? 'q0' : k === 1 ? 'q1' : null);
            setRange(quarter(k).range);
            setFocus(null);
          }}
          options={Array.from({ length: 8 }, (_, k) => ({ value: k, label: quarter(k).label }))}
        />
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(v) => {
            if (v?.[0] && v[1]) {
              setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')]);
              setPreset(null);
              setFocus(null);
            }
          }}
          presets={[
            { label: '本年', value: [dayjs().startOf('year'), dayjs()] },
            { label: '上季度', value: lastQuarter() },
            { label: '上月', value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] },
          ]}
        />
        <Breadcrumb
          items={[
            { title: <a onClick={() => (setRegionPath([]), setFocus(null))}>全部地区</a> },
            ...regionPath.map((r, i) => ({ title: <a onClick={() => (setRegionPath(regionPath.slice(0, i + 1)), setFocus(null))}>{r.name}</a> })),
          ]}
        />
      </Space>
      {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} />}
      {!total ? (
        <Spin style={{ display: 'block', margin: '10vh auto' }} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {(['volume', ...rateKeys, 'overdue'] as MeasureKey[]).map((m) => (
              <Col key={m} xs={12} md={8} lg={6} xl={4}>
                <Card size="small" hoverable onClick={() => setDrill({ measure: m, part: m === 'volume' || m === 'overdue' ? 'due' : 'miss', label: '合计' })}>
                  <Statistic
                    title={measureLabels[m]}
                    value={m === 'volume' ? total.volume : m === 'overdue' ? total.overdue : pct(total[m])}
                    valueStyle={m === 'overdue' && total.overdue > 0 ? { color: '#cf1322' } : undefined}
                    suffix={m !== 'volume' && m !== 'overdue' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${total[m].hit}/${total[m].due}`}</Typography.Text> : undefined}
                  />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} lg={12}>
              <Card size="small" title="月度趋势" extra={<Exports query={months.query} />}>
                <EChart option={trend} label="按月的信访总量、按期办结率和满意率" />
              </Card>
            </Col>
            <Col xs={24} md={12} lg={6}>
              <Card size="small" title="渠道构成" extra={<Exports query={channels.query} />}>
                <EChart option={pie(channels.data?.rows, '渠道')} label="按渠道的信访件占比" onClick={drillByLabel(channels.data?.rows, 'channel')} />
              </Card>
            </Col>
            <Col xs={24} md={12} lg={6}>
              <Card size="small" title="问题类别" extra={<Exports query={categories.query} />}>
                <EChart option={pie(categories.data?.rows, '类别')} label="按问题类别的信访件占比" onClick={drillByLabel(categories.data?.rows, 'category')} />
              </Card>
            </Col>
          </Row>
          <Card
            size="small"
            style={{ marginTop: 12 }}
            title="地区排名（按期办结率由低到高；点击地区名看其问题类别）"
            extra={
              <Space>
                {regionPath.length === 0 && (
                  <Segmented
                    size="small"
                    aria-label="地区层级"
                    value={regionLevel}
                    onChange={(v) => setRegionLevel(v as 'city' | 'county')}
                    options={[
                      { value: 'city', label: '按市' },
                      { value: 'county', label: '按县（市、区）' },
                    ]}
                  />
                )}
                <Exports query={regions.query} />
              </Space>
            }
          >
            <MeasureTable
              rows={regions.data?.rows ?? []}
              groupBy="region"
              level={regions.data?.level ?? undefined}
              onDrill={onDrill}
              sortBy="completion"
              label="地区排名"
              onLabel={(r) => setFocus({ code: r.key, name: r.label })}
            />
            {regions.data?.level !== 'county' && (
              <Space wrap style={{ marginTop: 8 }}>
                下钻：
                {(regions.data?.rows ?? []).map((r) => (
                  <Button key={r.key} size="small" onClick={() => (setRegionPath([...regionPath, { code: r.key, name: r.label }]), setFocus(null))}>
                    {r.label}
                  </Button>
                ))}
              </Space>
            )}
          </Card>
          {focus && (
            <Card
              size="small"
              style={{ marginTop: 12 }}
              title={`${focus.name} · 问题类别（按期办结率由低到高；点击比率看未按期的信访件）`}
              extra={
                <Space>
                  <Exports query={focusCategories.query} />
                  <Button size="small" onClick={() => setFocus(null)}>
                    关闭
                  </Button>
                </Space>
              }
            >
              {focusCategories.error && <Alert type="error" message={focusCategories.error} />}
              <MeasureTable rows={focusCategories.data?.rows ?? []} groupBy="category" onDrill={onDrill} sortBy="completion" filters={focusFilters} label={`${focus.name}问题类别`} measures={['completion', 'acceptance', 'assignment', 'satisfaction']} />
            </Card>
          )}
          <Card size="small" style={{ marginTop: 12 }} title="承办单位排名（按期办结率、满意率）" extra={<Exports query={units.query} />}>
            <MeasureTable rows={units.data?.rows ?? []} groupBy="unit" onDrill={onDrill} measures={['completion', 'satisfaction', 'participation', 'assignment']} sortBy="completion" />
          </Card>
          <HotspotPanel from={range[0]} to={range[1]} region={region} />
          <Card
            size="small"
            style={{ marginTop: 12 }}
            title="分组明细"
            extra={
              <Space>
                <Select
                  size="small"
                  value={groupBy}
                  onChange={setGroupBy}
                  style={{ width: 120 }}
                  options={Object.entries(groupLabels).map(([value, label]) => ({ value, label }))}
                  aria-label="分组方式"
                />
                <Exports query={main.query} />
              </Space>
            }
          >
            <MeasureTable rows={main.data?.rows ?? []} groupBy={groupBy} onDrill={onDrill} />
          </Card>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            口径：信访总量、网上占比和重复信访率按收到日期计；及时受理、及时交办、按期办结按各自期限（含批准的延期）落在期间内、且已办理或已超期的件计；参评率、满意率按答复日期计。检举件不向被检举单位统计。
          </Typography.Paragraph>
        </>
      )}
      <DrillDrawer drill={drill} filters={filters} onClose={() => setDrill(null)} />
    </div>
  );
}
