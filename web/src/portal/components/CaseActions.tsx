/**
 * The acts only the petitioner may do, each shown only when the server lists it in allowedActions:
 * confirm receipt, evaluate, request review (with its deadline), leave a message, withdraw.
 */
import { useState } from 'react';
import { App, Button, Form, Input, Radio } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { applyFieldErrors } from '../../shared/form-errors';
import type { OwnerView } from '../types';
import { countdown } from './Deadlines';

const ratings = [
  { value: 'satisfied', label: '满意' },
  { value: 'basically_satisfied', label: '基本满意' },
  { value: 'dissatisfied', label: '不满意' },
];

function useAct(onDone: () => Promise<void>) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, fn: () => Promise<unknown>, ok: string, onError?: (e: unknown) => boolean) => {
    if (busy) return; // one act at a time: a double tap sends once
    setBusy(key);
    try {
      await fn();
      void message.success(ok);
      await onDone();
    } catch (e) {
      if (!onError?.(e)) void message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

export function CaseActions({ view, onDone }: { view: OwnerView; onDone: () => Promise<void> }) {
  const allowed = new Set(view.allowedActions);
  const { modal } = App.useApp();
  const { busy, run } = useAct(onDone);
  const [evalForm] = Form.useForm<{ rating: string; comment?: string }>();
  const [reviewForm] = Form.useForm<{ reason: string }>();
  const [messageForm] = Form.useForm<{ text: string }>();
  const base = `/api/cases/${view.id}`;
  const reviewKind = view.state === 'reviewed' ? '复核' : '复查';
  const reviewDeadline = view.deadlines.find((d) => d.clock === 'reviewRequest');
  const reviewUntil = reviewDeadline?.due ?? view.awaitingPetitioner.find((a) => a.kind === 'review-request')?.until ?? null;

  if (allowed.size === 0) return null;
  return (
    <section className="xf-section xf-case-actions" aria-labelledby="xf-actions">
      <h2 id="xf-actions">我要办理</h2>

      {allowed.has('confirm-receipt') && (
        <div className="xf-action-block">
          <h3>确认收到答复</h3>
          <p className="xf-muted">请阅读上方的答复意见书后确认。只有您本人可以确认。</p>
          <Button type="primary" loading={busy === 'receipt'} onClick={() => void run('receipt', () => api.post(`${base}/confirm-receipt`), '已确认收到答复')}>
            确认收到答复
          </Button>
        </div>
      )}

      {allowed.has('evaluate') && (
        <div className="xf-action-block">
          <h3>评价办理结果</h3>
          <Form
            form={evalForm}
            name="evaluate"
            layout="vertical"
            onFinish={(v) =>
              void run('evaluate', () => api.post(`${base}/evaluation`, { rating: v.rating, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) }), '感谢您的评价', (e) => applyFieldErrors(evalForm, e) > 0)
            }
          >
            <Form.Item name="rating" label="您对办理结果是否满意" rules={[{ required: true, message: '请选择评价' }]}>
              <Radio.Group options={ratings} optionType="button" buttonStyle="solid" />
            </Form.Item>
            <Form.Item name="comment" label="评价意见（选填）">
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === 'evaluate'}>
              提交评价
            </Button>
          </Form>
        </div>
      )}

      {allowed.has('review-request') && (
        <div className="xf-action-block">
          <h3>申请{reviewKind}</h3>
          <p>
            如对{view.state === 'reviewed' ? '复查意见' : '答复意见'}不服，可向上一级机关申请{reviewKind}。
            {reviewUntil && (
              <>
                请于 <strong>{reviewUntil}</strong> 前提出{reviewDeadline ? `（${countdown(reviewDeadline)}）` : ''}，逾期不再受理。
              </>
            )}
          </p>
          <Form
            form={reviewForm}
            name="review"
            layout="vertical"
            onFinish={(v) => void run('review', () => api.post(`${base}/review-request`, { reason: v.reason.trim() }), `已提交${reviewKind}申请`, (e) => applyFieldErrors(reviewForm, e) > 0)}
          >
            <Form.Item
              name="reason"
              label={`${reviewKind}理由`}
              rules={[
                { required: true, whitespace: true, message: `请写明申请${reviewKind}的理由` },
                { min: 5, message: '理由至少 5 个字' },
              ]}
            >
              <Input.TextArea rows={4} maxLength={5000} showCount />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'review'}>
              申请{reviewKind}
            </Button>
          </Form>
        </div>
      )}

      {allowed.has('message') && (
        <div className="xf-action-block">
          <h3>留言</h3>
          <Form
            form={messageForm}
            name="message"
            layout="vertical"
            onFinish={(v) =>
              void run(
                'message',
                async () => {
                  await api.post(`${base}/messages`, { text: v.text.trim() });
                  messageForm.resetFields();
                },
                '留言已发送',
                (e) => applyFieldErrors(messageForm, e) > 0,
              )
            }
          >
            <Form.Item name="text" label="留言内容" rules={[{ required: true, whitespace: true, message: '请填写留言内容' }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount placeholder="补充情况或询问办理进展" />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'message'}>
              发送留言
            </Button>
          </Form>
        </div>
      )}

      {allowed.has('withdraw') && (
        <div className="xf-action-block">
          <h3>撤回信访件</h3>
          <p className="xf-muted">在交办前可以撤回。撤回后本件不再办理。</p>
          <Button
            danger
            loading={busy === 'withdraw'}
            onClick={() =>
              void modal.confirm({
                title: '确定撤回这件信访件吗？',
                content: '撤回后本件将不再办理。如仍有诉求，需要重新提交。',
                okText: '确定撤回',
                okButtonProps: { danger: true },
                cancelText: '不撤回',
                onOk: () => run('withdraw', () => api.post(`${base}/withdraw`, {}), '已撤回'),
              })
            }
          >
            撤回
          </Button>
        </div>
      )}
    </section>
  );
}
