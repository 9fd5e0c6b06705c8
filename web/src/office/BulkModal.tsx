/** 批量受理 / 批量转送: one request, each case handled on its own; the result per case is shown. */
import { useState } from 'react';
import { Alert, Form, List, Modal, Tag, Typography } from 'antd';
import { api, errorMessage } from '../shared/api';
import { applyFieldErrors, validateForm } from '../shared/form-errors';
import { TextItem } from '../shared/TextItem';
import { UnitPicker } from './UnitPicker';
import type { BulkResult } from './types';

interface Props {
  action: 'accept' | 'forward';
  caseIds: string[];
  titles: Record<string, string>;
  onClose(changed: boolean): void;
}

export function BulkModal({ action, caseIds, titles, onClose }: Props) {
  const [form] = Form.useForm<{ unitId?: string; instructions?: string; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<BulkResult | null>(null);
  const label = action === 'accept' ? '批量受理' : '批量转送';

  const submit = async () => {
    const v = await validateForm(form);
    setBusy(true);
    setError(null);
    try {
      const body = action === 'accept' ? { caseIds, ...(v.note ? { note: v.note } : {}) } : { caseIds, unitId: v.unitId, ...(v.instructions ? { instructions: v.instructions } : {}) };
      setResult(await api.post<BulkResult>(`/api/office/bulk/${action}`, body));
    } catch (e) {
      if (!applyFieldErrors(form, e)) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <Modal open title={`${label}结果`} onCancel={() => onClose(true)} onOk={() => onClose(true)} okText="完成" cancelButtonProps={{ style: { display: 'none' } }}>
        <Alert
          type={result.failed === 0 ? 'success' : result.succeeded === 0 ? 'error' : 'warning'}
          showIcon
          title={`成功 ${result.succeeded} 件，未成功 ${result.failed} 件`}
          style={{ marginBottom: 12 }}
        />
        <List
          size="small"
          dataSource={result.results}
          renderItem={(r) => (
            <List.Item>
              <span>
                {r.ok ? <Tag color="success">成功</Tag> : <Tag color="error">未成功</Tag>}
                {titles[r.id] ?? r.id}
                {!r.ok && (
                  <Typography.Text type="danger" style={{ display: 'block' }}>
                    {r.message}
                  </Typography.Text>
                )}
              </span>
            </List.Item>
          )}
        />
      </Modal>
    );
  }

  return (
    <Modal open title={`${label}（${caseIds.length} 件）`} okText={`确认${label}`} cancelText="取消" confirmLoading={busy} onOk={() => void submit()} onCancel={() => onClose(false)} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">每件单独办理：某一件因状态变化或权限不能办理时，不影响其他件，结果逐件列出。</Typography.Paragraph>
      <Form form={form} layout="vertical">
        {action === 'forward' ? (
          <>
            <Form.Item name="unitId" label="转送至承办单位" rules={[{ required: true, message: '请选择承办单位' }]}>
              <UnitPicker assignableOnly placeholder="请选择承办单位" />
            </Form.Item>
            <TextItem name="instructions" label="转送意见" rows={3} placeholder="选填" max={2000} />
          </>
        ) : (
          <TextItem name="note" label="受理意见" rows={3} placeholder="选填" max={1000} />
        )}
      </Form>
    </Modal>
  );
}
