/** A workbench queue (or all cases): filters, full-text search, sorting by due date, bulk accept/forward. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Cascader, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, errorMessage } from '../shared/api';
import { useSession } from '../shared/session';
import { useOfficeData } from './data';
import { channelLabels, countdown, formatTime, queueLabels, stateColors } from './labels';
import { UnitPicker } from './UnitPicker';
import { BulkModal } from './BulkModal';
import { OpenSupervisionModal } from './supervision/OpenSupervisionModal';
import type { CaseListItem, QueueResult, RegionNode } from './types';

const pageSize = 20;

function regionPath(regions: RegionNode[], code: string): string[] {
  for (const r of regions) {
    if (r.code === code) return [r.code];
    const sub = r.children ? regionPath(r.children, code) : [];
    if (sub.length) return [r.code, ...sub];
  }
  return [];
}

function DueCell({ item }: { item: CaseListItem }) {
  const d = item.deadlines[0];
  if (!d) return <Typography.Text type="secondary">—</Typography.Text>;
  const c = countdown(d);
  return (
    <Space orientation="vertical" size={0}>
      <span>
        {d.label}：{d.due}
      </span>
      <Tag color={c.color}>{c.text}</Tag>
    </Space>
  );
}

export function QueuePage() {
  const { key } = useParams();
  const { me } = useSession();
  const { workbench, catalog, refreshCounts } = useOfficeData();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<QueueResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulk, setBulk] = useState<'accept' | 'forward' | null>(null);
  const [qText, setQText] = useState(params.get('q') ?? '');

  const queue = key ? workbench?.queues.find((x) => x.key === key) : undefined;
  const title = key ? (queue?.label ?? queueLabels[key] ?? '工作台') : '全部信访件';
  const defaultSort = !key || key === 'evaluation' ? '-submitted' : 'due';
  const sort = params.get('sort') ?? defaultSort;
  const page = Number(params.get('page') ?? '1') || 1;
  const perms = useMemo(() => new Set(me?.permissions ?? []), [me]);
  const bulkAction = key === 'accept' && perms.has('case.accept') ? 'accept' : key === 'assign' && perms.has('case.assign') ? 'forward' : null;
  // 督办: a supervisor may put several cases under one supervision from any queue but those with their own bulk action.
  const groupSupervise = !bulkAction && perms.has('case.supervise');
  const [supervising, setSupervising] = useState(false);

  const query = useMemo(() => {
    const u = new URLSearchParams();
    if (key) u.set('queue', key);
    for (const k of ['q', 'category', 'region', 'unit', 'channel', 'target']) {
      const v = params.get(k);
      if (v) u.set(k, v);
    }
    u.set('sort', sort);
    u.set('page', String(page));
    u.set('pageSize', String(pageSize));
    return u.toString();
  }, [key, params, sort, page]);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<QueueResult>(`/api/office/cases?${query}`));
    } catch (e) {
      setError(errorMessage(e));
      setData(null);
    } finally {
      setLoading(false);
    }
  }, [query]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    setSelected([]);
    setQText(params.get('q') ?? '');
  }, [key, params]);

  const setParam = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setParams(next);
  };

  const columns: TableColumnsType<CaseListItem> = [
    {
      title: '编号',
      dataIndex: 'caseNo',
      width: 150,
      render: (v: string) => (
        <Typography.Text copyable={{ text: v, tooltips: ['复制编号', '已复制'] }} style={{ whiteSpace: 'nowrap' }}>
          {v}
        </Typography.Text>
      ),
    },
    {
      title: '标题',
      dataIndex: 'title',
      render: (_: unknown, r) => (
        <div style={{ minWidth: 220 }}>
          <Space size={4} wrap>
            <Link to={`/office/cases/${r.id}`}>{r.title}</Link>
            {r.supervised && <Tag color="red">督办</Tag>}
            {r.isDenunciation && <Tag color="magenta">检举揭发</Tag>}
          </Space>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13 }}>
            {r.category} · {r.regionName} · {channelLabels[r.channel] ?? r.channel}
          </Typography.Text>
        </div>
      ),
    },
    { title: '当前单位', dataIndex: 'currentUnitName', width: 170 },
    { title: '状态', dataIndex: 'stateLabel', width: 110, render: (v: string, r) => <Tag color={stateColors[r.state]}>{v}</Tag> },
    {
      title: '办理期限',
      key: 'due',
      width: 210,
      sorter: true,
      sortOrder: sort === 'due' ? 'ascend' : sort === '-due' ? 'descend' : null,
      sortDirections: ['ascend', 'descend', 'ascend'],
      render: (_: unknown, r) => <DueCell item={r} />,
    },
    { title: '登记时间', dataIndex: 'submittedAt', width: 140, render: (v: string) => formatTime(v) },
  ];

  const regions = catalog?.regions ?? [];
  const regionValue = params.get('region') ? regionPath(regions, params.get('region')!) : undefined;

  return (
    <section aria-labelledby="queue-title">
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }} wrap>
        <h2 id="queue-title" className="xf-office-page-title">
          {title}
          {data && (
            <Typography.Text type="secondary" style={{ fontSize: 15, marginInlineStart: 8 }}>
              共 {data.total}
              {data.totalCapped ? '+' : ''} 件
            </Typography.Text>
          )}
        </h2>
        <Button icon={<ReloadOutlined />} onClick={() => { void load(); refreshCounts(); }}>
          刷新
        </Button>
      </Space>

      <div className="xf-office-toolbar" role="search" aria-label="筛选和检索">
        <Input.Search
          aria-label="全文检索"
          placeholder="全文检索：如“拖欠 工资”，或信访件编号"
          allowClear
          value={qText}
          onChange={(e) => setQText(e.target.value)}
          onSearch={(v) => setParam('q', v.trim() || undefined)}
          style={{ width: 290 }}
          enterButton="检索"
        />
        <Select
          aria-label="问题类别"
          allowClear
          placeholder="问题类别"
          style={{ width: 140 }}
          value={params.get('category') ?? undefined}
          onChange={(v?: string) => setParam('category', v)}
          options={(catalog?.categories ?? []).map((c) => ({ value: c.code, label: c.name }))}
        />
        <Cascader
          aria-label="问题属地"
          placeholder="问题属地"
          changeOnSelect
          allowClear
          style={{ width: 160 }}
          value={regionValue}
          onChange={(v) => setParam('region', v && v.length ? String(v[v.length - 1]) : undefined)}
          options={regions}
          fieldNames={{ label: 'name', value: 'code', children: 'children' }}
          showSearch={{ filter: (input, path) => path.some((o) => String(o.name).includes(input)) }}
        />
        <UnitPicker aria-label="单位" allowClear placeholder="涉及单位" style={{ width: 180 }} value={params.get('unit') ?? undefined} onChange={(v) => setParam('unit', v)} />
        <Select
          aria-label="来源渠道"
          allowClear
          placeholder="来源渠道"
          style={{ width: 120 }}
          value={params.get('channel') ?? undefined}
          onChange={(v?: string) => setParam('channel', v)}
          options={Object.entries(channelLabels).map(([value, label]) => ({ value, label }))}
        />
        <Select
          aria-label="投诉对象"
          allowClear
          placeholder="投诉对象"
          style={{ width: 160 }}
          value={params.get('target') ?? undefined}
          onChange={(v?: string) => setParam('target', v)}
          options={(catalog?.targets ?? []).map((t) => ({ value: t.code, label: t.name }))}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <Select
          aria-label="排序"
          style={{ width: 160 }}
          value={sort}
          onChange={(v: string) => setParam('sort', v)}
          options={[
            { value: 'due', label: '期限由近到远' },
            { value: '-due', label: '期限由远到近' },
            { value: '-submitted', label: '登记时间由新到旧' },
            { value: 'submitted', label: '登记时间由旧到新' },
          ]}
        />
      </div>

      {bulkAction && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Button type="primary" disabled={selected.length === 0} onClick={() => setBulk(bulkAction)}>
            {bulkAction === 'accept' ? '批量受理' : '批量转送'}
            {selected.length > 0 ? `（${selected.length} 件）` : ''}
          </Button>
          <Typography.Text type="secondary">勾选类似的多件信访件后可一次{bulkAction === 'accept' ? '受理' : '转送'}，逐件办理并报告结果。</Typography.Text>
        </Space>
      )}

      {groupSupervise && selected.length > 0 && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Button danger onClick={() => setSupervising(true)}>
            督办所选（{selected.length} 件）
          </Button>
          <Typography.Text type="secondary">所选信访件将列入同一督办件，由同一单位书面报告。</Typography.Text>
        </Space>
      )}

      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}

      <Table<CaseListItem>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 960 }}
        locale={{ emptyText: params.get('q') ? '没有找到包含这些词语的信访件' : '此队列暂无信访件' }}
        rowSelection={bulkAction || groupSupervise ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: false } : undefined}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t}${data?.totalCapped ? '+' : ''} 件` }}
        onChange={(pg, _filters, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const next = new URLSearchParams(params);
          const newSort = s?.columnKey === 'due' && s.order ? (s.order === 'ascend' ? 'due' : '-due') : sort.includes('due') && !s?.order ? '-submitted' : sort;
          if (newSort !== sort) {
            next.set('sort', newSort);
            next.delete('page');
          } else if (pg.current && pg.current !== page) next.set('page', String(pg.current));
          setParams(next);
        }}
      />
      {supervising && (
        <OpenSupervisionModal
          caseIds={selected}
          titles={Object.fromEntries((data?.items ?? []).map((i) => [i.id, `${i.caseNo} ${i.title}`]))}
          onCancel={() => setSupervising(false)}
          onDone={() => {
            setSupervising(false);
            setSelected([]);
            void load();
          }}
        />
      )}
      {bulk && (
        <BulkModal
          action={bulk}
          caseIds={selected}
          titles={Object.fromEntries((data?.items ?? []).map((i) => [i.id, `${i.caseNo} ${i.title}`]))}
          onClose={(changed) => {
            setBulk(null);
            if (changed) {
              setSelected([]);
              void load();
              refreshCounts();
            }
          }}
        />
      )}
    </section>
  );
}
