/** 通报: circulars the unit received (acknowledge, download) or issued (compose, receipts). */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, List, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { api, ApiError, errorMessage } from '../../shared/api';
import type { CaseListItem, QueueResult } from '../types';
import { periodOptions, type AssessableUnit, type CircularDetail, type CircularSummary, type Page, type Typical } from './types';
import { validateForm } from '../../shared/form-errors';

const measureOptions = [
  { value: 'acceptance', label: '及时受理率' },
  { value: 'assignment', label: '及时交办率' },
  { value: 'completion', label: '按期办结率' },
  { value: 'participation', label: '参评率' },
  { value: 'satisfaction', label: '满意率' },
  { value: 'repeat', label: '重复信访率' },
];

function CaseSearch({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [known, setKnown] = useState<Record<string, string>>({});
  const search = (q: string) => {
    if (q.trim().length < 2) return;
    api
      .get<QueueResult>(`/api/office/cases?q=${encodeURIComponent(q.trim())}&pageSize=20`)
      .then((r) => {
        const opts = r.items.map((c: CaseListItem) => ({ value: c.id, label: `${c.caseNo} ${c.title}` }));
        setKnown((k) => ({ ...k, ...Object.fromEntries(opts.map((o) => [o.value, o.label])) }));
        setOptions(opts);
      })
      .catch(() => setOptions([]));
  };
  return (
    <Select
      mode="multiple"
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: search }}
      placeholder="输入编号或标题关键词检索信访件"
      options={[...options, ...(value ?? []).filter((v) => !options.some((o) => o.value === v)).map((v) => ({ value: v, label: known[v] ?? v }))]}
      aria-label="引用信访件"
    />
  );
}

function Compose({ open, onClose, onIssued }: { open: boolean; onClose: () => void; onIssued: (id: string) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [units, setUnits] = useState<AssessableUnit[]>([]);
  const [typicals, setTypicals] = useState<Typical[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    api.get<{ units: AssessableUnit[] }>('/api/office/assessment/units').then((r) => setUnits(r.units)).catch(() => setUnits([]));
    api.get<Page<Typical>>('/api/office/typical-cases?status=published&pageSize=100').then((r) => setTypicals(r.items)).catch(() => setTypicals([]));
  }, [open]);
  const submit = async () => {
    const v = (await validateForm(form)) as { kind: string; title: string; body: string; targetUnitIds: string[]; caseIds?: string[]; typicalIds?: string[]; measures?: string[]; period?: string };
    setBusy(true);
    try {
      const r = await api.post<CircularDetail>('/api/office/circulars', {
        kind: v.kind,
        title: v.title,
        body: v.body,
        targetUnitIds: v.targetUnitIds,
        caseIds: v.caseIds ?? [],
        typicalIds: v.typicalIds ?? [],
        measures: (v.measures ?? []).map((m) => ({ measure: m, period: v.period })),
      });
      message.success(`已签发 ${r.docNo}`);
      form.resetFields();
      onIssued(r.id);
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) form.setFields(Object.entries(e.fields).map(([name, err]) => ({ name, errors: [err] })));
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open={open} onClose={onClose} title="签发通报" size={720} extra={<Button type="primary" loading={busy} onClick={() => void submit()}>签发</Button>} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ kind: 'criticism', period: periodOptions()[1]!.value }}>
        <Form.Item name="kind" label="类型">
          <Radio.Group options={[{ value: 'criticism', label: '批评通报' }, { value: 'commendation', label: '表扬通报' }]} />
        </Form.Item>
        <Form.Item name="title" label="标题" rules={[{ required: true, min: 4, message: '标题至少 4 个字' }]}>
          <Input maxLength={100} placeholder="如：关于部分县区代签信访文书问题的通报" />
        </Form.Item>
        <Form.Item name="targetUnitIds" label="主送单位" rules={[{ required: true, message: '请至少选择一个主送单位' }]}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={units.map((u) => ({ value: u.id, label: u.name }))} placeholder="选择本辖区的地区或部门" aria-label="主送单位" />
        </Form.Item>
        <Form.Item name="body" label="正文" rules={[{ required: true, min: 20, message: '正文至少 20 个字' }]}>
          <Input.TextArea rows={8} maxLength={20000} placeholder="事实、定性、处理和要求；空行分段" />
        </Form.Item>
        <Form.Item name="caseIds" label="引用信访件">
          <CaseSearch />
        </Form.Item>
        <Form.Item name="typicalIds" label="引用典型案例">
          <Select mode="multiple" options={typicals.map((t) => ({ value: t.id, label: `${t.kindLabel}：${t.title}` }))} aria-label="引用典型案例" />
        </Form.Item>
        <Space align="start" wrap>
          <Form.Item name="measures" label="引用考核指标（按主送单位分别列出）">
            <Select mode="multiple" style={{ minWidth: 280 }} options={measureOptions} aria-label="引用考核指标" />
          </Form.Item>
          <Form.Item name="period" label="指标期间">
            <Select style={{ width: 180 }} options={periodOptions()} aria-label="指标期间" />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}

function Detail({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [d, setD] = useState<CircularDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setD(null);
    setError(null);
    if (id) api.get<CircularDetail>(`/api/office/circulars/${id}`).then(setD).catch((e: unknown) => setError(errorMessage(e)));
  }, [id]);
  const ack = async () => {
    try {
      setD(await api.post<CircularDetail>(`/api/office/circulars/${id}/acknowledge`));
      message.success('已签收');
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Drawer open={id !== null} onClose={onClose} title={d ? `${d.kindLabel} ${d.docNo}` : '通报'} size={720}>
      {error && <Alert type="error" showIcon title={error} />}
      {d && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {d.title}
          </Typography.Title>
          <Space wrap>
            <a href={`/api/office/circulars/${d.id}/pdf`} download>
              下载 PDF（{Math.round(d.size / 1024)} KB）
            </a>
            {d.canAcknowledge && (
              <Button type="primary" onClick={() => void ack()}>
                签收
              </Button>
            )}
          </Space>
          <Descriptions size="small" column={1} bordered items={[
            { key: 'issuer', label: '签发单位', children: d.issuerName },
            { key: 'date', label: '印发日期', children: d.issuedDate },
            { key: 'hash', label: 'SHA-256', children: <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>{d.sha256}</Typography.Text> },
          ]} />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.body}</Typography.Paragraph>
          {d.citations.length > 0 && (
            <List
              size="small"
              header="所涉事项"
              bordered
              dataSource={d.citations}
              renderItem={(c) => <List.Item>{c.kind === 'case' ? <Link to={`/office/cases/${c.ref}`}>{c.label}</Link> : c.label}</List.Item>}
            />
          )}
          <Table
            size="small"
            rowKey="unitId"
            pagination={false}
            dataSource={d.targets}
            columns={[
              { title: '主送单位', dataIndex: 'unitName' },
              { title: '签收', dataIndex: 'acknowledgedAt', render: (v: string | null) => (v ? <Tag color="green">已签收 {new Date(v).toLocaleString('zh-CN')}</Tag> : <Tag color="orange">未签收</Tag>) },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export default function CircularsPage() {
  const [data, setData] = useState<(Page<CircularSummary> & { canIssue: boolean }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [compose, setCompose] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .get<Page<CircularSummary> & { canIssue: boolean }>(`/api/office/circulars?page=${page}&pageSize=20`)
      .then(setData)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [page]);
  useEffect(load, [load]);
  const columns: ColumnsType<CircularSummary> = useMemo(
    () => [
      { title: '文号', dataIndex: 'docNo', width: 170 },
      { title: '标题', dataIndex: 'title', render: (v: string, r) => <a onClick={() => setOpenId(r.id)}>{v}</a> },
      { title: '类型', dataIndex: 'kindLabel', width: 100, render: (v: string, r) => <Tag color={r.kind === 'criticism' ? 'red' : 'green'}>{v}</Tag> },
      { title: '签发单位', dataIndex: 'issuerName', width: 160 },
      { title: '印发日期', dataIndex: 'issuedDate', width: 110 },
      {
        title: '签收',
        key: 'ack',
        width: 160,
        render: (_: unknown, r) =>
          r.mine.length > 0 ? (
            r.mine.every((m) => m.acknowledgedAt) ? <Tag color="green">本单位已签收</Tag> : <Tag color="orange">本单位待签收</Tag>
          ) : (
            `${r.acknowledgedCount} / ${r.targetCount} 已签收`
          ),
      },
    ],
    [],
  );
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          通报
        </Typography.Title>
        {data?.canIssue && (
          <Button type="primary" onClick={() => setCompose(true)}>
            签发通报
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table rowKey="id" columns={columns} dataSource={data?.items ?? []} loading={!data && !error} pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage }} locale={{ emptyText: '暂无通报' }} />
      <Compose open={compose} onClose={() => setCompose(false)} onIssued={(id) => { setCompose(false); load(); setOpenId(id); }} />
      <Detail id={openId} onClose={() => setOpenId(null)} onChanged={load} />
    </div>
  );
}
