/** 典型案例: published good and bad examples for all staff; the approval queue for leaders; proposals for proposers. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, List, Modal, Space, Switch, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, errorMessage } from '../../shared/api';
import { useSession } from '../../shared/session';
import type { Page, Typical } from './types';
import { validateForm } from '../../shared/form-errors';

type Status = Typical['status'];

function TypicalCard({ t, onChanged }: { t: Typical; onChanged: () => void }) {
  const { message } = App.useApp();
  const [deciding, setDeciding] = useState<null | 'approve' | 'reject' | 'withdraw'>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; summary: string; commentary: string; note?: string; public: boolean; reason?: string }>();
  const submit = async () => {
    const v = await validateForm(form);
    setBusy(true);
    try {
      if (deciding === 'withdraw') await api.post(`/api/office/typical-cases/${t.id}/withdraw`, { reason: v.reason });
      else
        await api.post(`/api/office/typical-cases/${t.id}/decision`, {
          approve: deciding === 'approve',
          ...(v.note ? { note: v.note } : {}),
          ...(deciding === 'approve' ? { text: { title: v.title, summary: v.summary, commentary: v.commentary }, public: v.public } : {}),
        });
      message.success(deciding === 'approve' ? '已发布' : deciding === 'reject' ? '已退回' : '已撤回');
      setDeciding(null);
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Tag color={t.kind === 'good' ? 'green' : 'red'}>{t.kindLabel}</Tag>
          <span>{t.title}</span>
        </Space>
      }
      extra={<Tag>{t.statusLabel}</Tag>}
      style={{ marginBottom: 12 }}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t.category} · {t.regionName} · 涉及单位：{t.unitName} · 推荐单位：{t.proposedUnitName}
        {t.publicRequested && t.status === 'published' && <Tag color="gold" style={{ marginInlineStart: 8 }}>已在阳光信访公开</Tag>}
      </Typography.Paragraph>
      <Typography.Title level={5}>案情</Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{t.summary}</Typography.Paragraph>
      <Typography.Title level={5}>点评</Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{t.commentary}</Typography.Paragraph>
      {t.decisionNote && <Typography.Paragraph type="secondary">审定意见：{t.decisionNote}</Typography.Paragraph>}
      <Space wrap>
        <Link to={`/office/cases/${t.caseId}`}>查看信访件（有权限时）</Link>
        {t.allowed.decide && (
          <>
            <Button type="primary" onClick={() => { form.setFieldsValue({ title: t.title, summary: t.summary, commentary: t.commentary, public: t.publicRequested }); setDeciding('approve'); }}>
              审定发布
            </Button>
            <Button danger onClick={() => setDeciding('reject')}>
              不予通过
            </Button>
          </>
        )}
        {t.allowed.withdraw && <Button onClick={() => setDeciding('withdraw')}>撤回</Button>}
      </Space>
      <Modal open={deciding !== null} title={deciding === 'approve' ? '审定发布典型案例' : deciding === 'reject' ? '不予通过' : '撤回典型案例'} okText="确定" cancelText="取消" confirmLoading={busy} onOk={() => void submit()} onCancel={() => setDeciding(null)} width={720} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          {deciding === 'approve' && (
            <>
              <Alert type="info" showIcon style={{ marginBottom: 12 }} title="发布前请逐字核对：不得含有姓名、身份证号码、电话、邮箱、详细地址等个人信息。发布后全省工作人员可见。" />
              <Form.Item name="title" label="标题" rules={[{ required: true, min: 4, message: '标题至少 4 个字' }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="summary" label="案情" rules={[{ required: true, min: 10, message: '案情至少 10 个字' }]}>
                <Input.TextArea rows={5} maxLength={5000} />
              </Form.Item>
              <Form.Item name="commentary" label="点评" rules={[{ required: true, min: 10, message: '点评至少 10 个字' }]}>
                <Input.TextArea rows={3} maxLength={5000} />
              </Form.Item>
              <Form.Item name="public" label="同时在阳光信访公开（须信访人同意公开）" valuePropName="checked">
                <Switch />
              </Form.Item>
            </>
          )}
          {deciding === 'withdraw' ? (
            <Form.Item name="reason" label="撤回理由" rules={[{ required: true, min: 2, message: '请填写撤回理由' }]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          ) : (
            <Form.Item name="note" label="审定意见">
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}

function TypicalList({ status }: { status: Status }) {
  const [data, setData] = useState<Page<Typical> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const load = useCallback(() => {
    setError(null);
    api
      .get<Page<Typical>>(`/api/office/typical-cases?status=${status}&page=${page}&pageSize=10`)
      .then(setData)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [status, page]);
  useEffect(load, [load]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return null;
  if (data.total === 0) return <Empty description={status === 'published' ? '暂无已发布的典型案例' : '暂无'} />;
  return (
    <List
      dataSource={data.items}
      pagination={{ current: page, pageSize: 10, total: data.total, onChange: setPage, showSizeChanger: false }}
      renderItem={(t) => <TypicalCard key={t.id} t={t} onChanged={load} />}
    />
  );
}

export default function TypicalPage() {
  const { me } = useSession();
  const reviewer = Boolean(me?.permissions.includes('typical.propose') || me?.permissions.includes('typical.approve'));
  const tabs = [
    { key: 'published', label: '已发布' },
    ...(reviewer
      ? [
          { key: 'proposed', label: '待审定' },
          { key: 'rejected', label: '未通过' },
          { key: 'withdrawn', label: '已撤回' },
        ]
      : []),
  ];
  return (
    <div>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        典型案例
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        正面典型在全省推广经验，反面典型公开曝光问题。推荐入口在信访件页面右侧“推荐为典型案例”；由领导审定后发布，全省工作人员可见。
      </Typography.Paragraph>
      <Tabs items={tabs.map((t) => ({ key: t.key, label: t.label, children: <TypicalList status={t.key as Status} /> }))} destroyOnHidden />
    </div>
  );
}
