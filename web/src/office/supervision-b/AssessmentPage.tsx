/** 考核: the ranking of the units under a government for a period, publishing, and the weights editor. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, Navigate, useSearchParams } from 'react-router';
import { api, ApiError, errorMessage } from '../../shared/api';
import { fmt, lastQuarter, periodOptions, type AssessableUnit, type Ranking, type RankingRow, type SchemeResponse } from './types';
import { validateForm } from '../../shared/form-errors';

function WeightsEditor({ unitId, open, onClose, onSaved }: { unitId: string; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [s, setS] = useState<SchemeResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string; weights: Record<string, number> }>();
  useEffect(() => {
    if (!open) return;
    api
      .get<SchemeResponse>(`/api/office/assessment/scheme?unit=${encodeURIComponent(unitId)}`)
      .then((r) => {
        setS(r);
        form.setFieldsValue({ name: r.scheme.inherited ? `${r.unitName}考核方案` : r.scheme.name, weights: r.scheme.weights });
      })
      .catch((e: unknown) => message.error(errorMessage(e)));
  }, [open, unitId, form, message]);
  const save = async () => {
    if (!s) return;
    const v = await validateForm(form);
    setBusy(true);
    try {
      await api.put('/api/office/assessment/scheme', { unitId, name: v.name, weights: v.weights, revision: s.scheme.inherited ? 0 : s.scheme.revision });
      message.success('考核权重已保存');
      onSaved();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) form.setFields(Object.entries(e.fields).map(([k, err]) => ({ name: ['weights', k], errors: [err] })));
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title="考核权重" okText="保存" cancelText="取消" onOk={() => void save()} onCancel={onClose} confirmLoading={busy} okButtonProps={{ disabled: !s?.canEdit }} width={720} destroyOnHidden>
      {s && (
        <>
          <Typography.Paragraph type="secondary">
            当前适用：{s.scheme.name}（{s.scheme.inherited ? `沿用${s.scheme.ownerUnitName}` : `本级，第 ${s.scheme.revision} 版`}）。已发布的考核结果不受修改影响。
          </Typography.Paragraph>
          {!s.canEdit && <Alert type="info" showIcon title="您只能查看，设置权重须由本级领导进行。" style={{ marginBottom: 12 }} />}
          <Form form={form} layout="horizontal" labelCol={{ span: 8 }}>
            <Form.Item name="name" label="方案名称" rules={[{ required: true, min: 2, message: '方案名称至少 2 个字' }]}>
              <Input maxLength={60} disabled={!s.canEdit} />
            </Form.Item>
            {s.items.map((i) => (
              <Form.Item key={i.key} name={['weights', i.key]} label={i.kind === 'rate' ? `${i.label}（满分）` : `${i.label}（每件扣分）`} tooltip={i.rule} rules={[{ required: true, message: '请填写分值' }]}>
                <InputNumber min={0} max={i.kind === 'rate' ? 100 : 50} step={i.kind === 'rate' ? 1 : 0.5} precision={2} disabled={!s.canEdit} aria-label={i.label} />
              </Form.Item>
            ))}
          </Form>
        </>
      )}
    </Modal>
  );
}

export default function AssessmentPage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? lastQuarter();
  const [units, setUnits] = useState<{ ownUnitId: string; units: AssessableUnit[]; canManage: boolean } | null>(null);
  const [data, setData] = useState<Ranking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [weightsOpen, setWeightsOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    api
      .get<{ ownUnitId: string; units: AssessableUnit[]; canManage: boolean }>('/api/office/assessment/units')
      .then(setUnits)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  const parents = useMemo(() => (units?.units ?? []).filter((u) => u.kind === 'government'), [units]);
  const parent = params.get('parent') ?? units?.ownUnitId ?? '';
  const parentUnit = parents.find((u) => u.id === parent);
  const group = params.get('group') ?? (parentUnit && !parentUnit.hasRegions ? 'department' : 'region');
  const set = (k: string, v: string) => {
    const n = new URLSearchParams(params);
    n.set(k, v);
    if (k === 'parent') n.delete('group');
    setParams(n);
  };
  const load = useCallback(() => {
    if (!parent || !parentUnit) return;
    setLoading(true);
    setError(null);
    api
      .get<Ranking>(`/api/office/assessment/ranking?parent=${encodeURIComponent(parent)}&group=${group}&period=${period}`)
      .then(setData)
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setLoading(false));
  }, [parent, parentUnit, group, period]);
  useEffect(load, [load]);
  const publish = async () => {
    try {
      setData(await api.post<Ranking>('/api/office/assessment/publish', { parent, group, period }));
      message.success('考核结果已发布，之后不再变化');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const itemKeys = data?.rows[0]?.lines.map((l) => ({ item: l.item, label: l.label, kind: l.kind })) ?? [];
  const columns: ColumnsType<RankingRow> = [
    { title: '名次', dataIndex: 'rank', width: 70, fixed: 'left' },
    { title: '单位', dataIndex: 'unitName', fixed: 'left', render: (v: string, r) => <Link to={`/office/assessment/unit/${r.unitId}?period=${period}`}>{v}</Link> },
    { title: '得分', dataIndex: 'total', width: 100, render: (v: number, r) => <strong>{fmt(v)} / {fmt(r.max)}</strong>, sorter: (a, b) => a.total - b.total },
    ...itemKeys.map((k) => ({
      title: k.kind === 'rate' ? k.label : `${k.label}扣分`,
      key: k.item,
      width: 110,
      render: (_: unknown, r: RankingRow) => {
        const l = r.lines.find((x) => x.item === k.item)!;
        return l.kind === 'rate' ? <span title={`${l.hit}/${l.due}`}>{fmt(l.points)}</span> : l.deduction > 0 ? <span style={{ color: '#cf1322' }}>−{fmt(l.deduction)}（{l.hit}）</span> : '0';
      },
    })),
  ];
  // A department has no units under it to rank: its own page is the assessment.
  if (units && parents.length === 0) return <Navigate to={`/office/assessment/unit/${units.ownUnitId}?period=${period}`} replace />;
  return (
    <div>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        考核
      </Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select style={{ width: 220 }} value={parent || undefined} onChange={(v: string) => set('parent', v)} options={parents.map((u) => ({ value: u.id, label: u.name }))} showSearch={{ optionFilterProp: 'label' }} aria-label="地区" placeholder="地区" />
        <Radio.Group value={group} onChange={(e) => set('group', String(e.target.value))} optionType="button" options={[{ value: 'region', label: '下级地区', disabled: parentUnit ? !parentUnit.hasRegions : false }, { value: 'department', label: '本级部门' }]} />
        <Select style={{ width: 180 }} value={period} onChange={(v: string) => set('period', v)} options={periodOptions()} aria-label="考核期间" />
        <Button onClick={() => setWeightsOpen(true)}>考核权重</Button>
        {data && !data.published && data.canPublish && (
          <Popconfirm title="发布后该期间的考核结果及扣分依据将固定，不再随数据或权重变化。确定发布？" okText="发布" cancelText="取消" onConfirm={() => void publish()}>
            <Button type="primary">发布考核结果</Button>
          </Popconfirm>
        )}
        <Link to={`/office/assessment/unit/${units?.ownUnitId ?? ''}?period=${period}`}>本单位考核页</Link>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {data && (
        <Alert
          type={data.published ? 'success' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          title={data.published ? `${data.periodLabel}考核结果已于 ${new Date(data.publishedAt!).toLocaleString('zh-CN')} 发布（固定结果）` : `${data.periodLabel}（${data.from} 至 ${data.to}）实时计算结果，截至 ${data.computedOn}，尚未发布`}
        />
      )}
      <Table rowKey="unitId" columns={columns} dataSource={data?.rows ?? []} loading={loading} pagination={false} scroll={{ x: 'max-content' }} size="small" />
      {parent && <WeightsEditor unitId={parent} open={weightsOpen} onClose={() => setWeightsOpen(false)} onSaved={load} />}
      {data?.published && <Tag style={{ marginTop: 8 }}>方案版本：{data.scheme.id === 'default' ? '系统默认' : `第 ${data.scheme.revision} 版`}</Tag>}
    </div>
  );
}
