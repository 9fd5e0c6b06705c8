/** 安全日志 (security admin): logins, failures, lockouts, account and role changes, TOTP, unmasking; filters and paging. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { fmtTime, partyLabel, type SecurityLogItem, type SecurityLogPage } from './types';

interface Filters {
  kind?: string | undefined;
  account?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const pageSize = 50;

function query(f: Filters, before?: number): string {
  const q = new URLSearchParams({ limit: String(pageSize) });
  if (f.kind) q.set('kind', f.kind);
  if (f.account?.trim()) q.set('account', f.account.trim());
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (before) q.set('before', String(before));
  return q.toString();
}

function detailText(i: SecurityLogItem, roleLabel: (r: string) => string): string {
  if (!i.detail) return '';
  try {
    const d = JSON.parse(i.detail) as Record<string, unknown>;
    if (i.kind === 'roles_granted' && Array.isArray(d.after)) return `${(d.before as string[] | undefined)?.map(roleLabel).join('、') || '无'} → ${(d.after as string[]).map(roleLabel).join('、') || '无'}`;
    if (typeof d.failures === 'number') return `连续失败 ${d.failures} 次`;
    if (typeof d.lockedUntil === 'string') return `锁定至 ${fmtTime(d.lockedUntil)}`;
    if (typeof d.caseId === 'string') return `信访件 ${d.caseId.slice(0, 8)}`;
    if (typeof d.username === 'string') return `用户名 ${d.username}`;
  } catch {
    /* not JSON: shown as is */
  }
  return i.detail;
}

export default function SecurityLogPage({ roleLabels }: { roleLabels: Record<string, string> }) {
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [items, setItems] = useState<SecurityLogItem[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [kinds, setKinds] = useState<Record<string, string>>({});
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (f: Filters, before?: number) => {
    setLoading(true);
    try {
      const r = await api.get<SecurityLogPage>(`/api/security/log?${query(f, before)}`);
      setItems((prev) => (before ? [...prev, ...r.items] : r.items));
      setNext(r.nextBefore);
      setKinds(r.kinds);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load(filters);
  }, [load, filters]);

  return (
    <section aria-labelledby="seclog-title">
      <h2 id="seclog-title" style={{ margin: '0 0 12px', fontSize: 20 }}>
        安全日志
      </h2>
      <Form form={form} layout="inline" onFinish={(v) => setFilters({ ...v })} style={{ marginBottom: 12, rowGap: 8 }} aria-label="筛选安全日志">
        <Form.Item label="类型" name="kind">
          <Select allowClear showSearch optionFilterProp="label" placeholder="全部类型" style={{ width: 200 }} options={Object.entries(kinds).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="账号" name="account">
          <Input allowClear placeholder="用户名" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label="起始日期" name="from">
          <Input type="date" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label="截止日期" name="to">
          <Input type="date" style={{ width: 160 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button onClick={() => { form.resetFields(); setFilters({}); }}>重置</Button>
        </Space>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Table<SecurityLogItem>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => fmtTime(v) },
          { title: '事件', dataIndex: 'kindLabel', width: 170 },
          { title: '操作人', key: 'actor', render: (_: unknown, i) => partyLabel(i.actor) },
          { title: '对象', key: 'subject', render: (_: unknown, i) => partyLabel(i.subject) },
          { title: '详情', key: 'detail', render: (_: unknown, i) => detailText(i, (r) => roleLabels[r] ?? r) },
          { title: 'IP', dataIndex: 'ip', width: 120 },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        {next ? (
          <Button onClick={() => void load(filters, next)} loading={loading}>
            加载更早的记录
          </Button>
        ) : (
          <Typography.Text type="secondary">{items.length ? `共 ${items.length} 条，已到最早` : '没有符合条件的记录'}</Typography.Text>
        )}
      </div>
    </section>
  );
}
