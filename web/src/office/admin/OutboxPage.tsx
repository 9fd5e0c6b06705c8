/**
 * 通知投递 (admins): the outbox — messages waiting, retrying after failed attempts, given up
 * (failed after the attempt limit, with a button to send again) and sent. Recipients and content
 * are never shown; gateway errors come with addresses and phone numbers masked.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Segmented, Space, Table, Tag, Typography } from 'antd';
import { api, errorMessage } from '../../shared/api';

interface OutboxItem {
  id: number;
  channel: 'sms' | 'email' | 'inapp';
  template: string;
  case_id: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

const channelLabels: Record<string, string> = { sms: '短信', email: '电子邮件', inapp: '站内消息' };
const templateLabels: Record<string, string> = {
  case_submitted: '登记告知（查询码）',
  case_accepted: '受理告知',
  case_rejected: '不予受理告知',
  case_forwarded: '交办告知',
  case_extended: '延期告知',
  case_replied: '答复告知',
  review_decided: '复查/复核意见告知',
  unit_assigned: '新交办件（单位）',
  unit_urged: '催办（单位）',
  unit_supervised: '督办（单位）',
  otp: '验证码',
  mail_refused: '来信未能登记回复',
};
const views = [
  { value: 'failed', label: '已放弃（发送失败）' },
  { value: 'pending', label: '待发送 / 重试中' },
  { value: 'sent', label: '已发送' },
] as const;
type View = (typeof views)[number]['value'];

function time(v: string | null): string {
  return v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '';
}

export default function OutboxPage() {
  const [view, setView] = useState<View>('failed');
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const { message } = App.useApp();
  const load = useCallback(() => {
    setError(null);
    setItems(null);
    api.get<{ items: OutboxItem[] }>(`/api/admin/outbox?status=${view}&limit=200`).then(
      (r) => setItems(r.items),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [view]);
  useEffect(load, [load]);
  const retry = async (id: number) => {
    setBusy(id);
    try {
      const r = await api.post<{ retried: boolean }>(`/api/admin/outbox/${id}/retry`);
      if (r.retried) void message.success(`通知 #${id} 已重新排队发送`);
      else void message.warning(`通知 #${id} 已不在失败状态，未重新排队`);
      load();
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div>
      <h2 className="xf-office-page-title">通知投递</h2>
      <Typography.Paragraph type="secondary">
        短信、电子邮件与站内消息经发送队列投递，失败后按 30 秒、1、2、4 分钟……（最长 1 小时）的间隔重试，10 次仍失败即放弃并列于此处。为保护个人信息，不显示收件人与通知内容。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented aria-label="状态" value={view} onChange={(v) => setView(v as View)} options={views.map((v) => ({ value: v.value, label: v.label }))} />
        <Button onClick={load}>刷新</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        rowKey="id"
        size="small"
        loading={items === null && !error}
        dataSource={items ?? []}
        aria-label="通知列表"
        locale={{ emptyText: view === 'failed' ? '没有放弃发送的通知' : view === 'pending' ? '队列中没有待发送的通知' : '暂无已发送的通知' }}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 900 }}
        columns={[
          { title: '编号', dataIndex: 'id', width: 80, render: (id: number) => `#${id}` },
          { title: '渠道', dataIndex: 'channel', width: 90, render: (c: string) => channelLabels[c] ?? c },
          { title: '通知', dataIndex: 'template', render: (t: string) => templateLabels[t] ?? t },
          {
            title: '状态',
            dataIndex: 'status',
            width: 110,
            render: (s: string, r: OutboxItem) =>
              s === 'failed' ? <Tag color="red">已放弃</Tag> : s === 'sent' ? <Tag color="green">已发送</Tag> : r.attempts > 0 ? <Tag color="orange">重试中</Tag> : <Tag color="blue">待发送</Tag>,
          },
          { title: '尝试次数', dataIndex: 'attempts', width: 90 },
          { title: view === 'sent' ? '发送时间' : '下次尝试', width: 170, render: (_: unknown, r: OutboxItem) => (view === 'sent' ? time(r.sent_at) : r.status === 'failed' ? '—' : time(r.next_attempt_at)) },
          { title: '最后错误', dataIndex: 'last_error', render: (e: string | null) => e ?? '' },
          { title: '创建时间', dataIndex: 'created_at', width: 170, render: time },
          ...(view === 'failed'
            ? [
                {
                  title: '操作',
                  width: 110,
                  render: (_: unknown, r: OutboxItem) => (
                    <Button size="small" type="primary" loading={busy === r.id} onClick={() => void retry(r.id)} aria-label={`重新发送通知 #${r.id}`}>
                      重新发送
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}
