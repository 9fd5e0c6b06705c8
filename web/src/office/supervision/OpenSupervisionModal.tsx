/** 发起督办: name the unit, the problem and the deadline for one case or several (from the queue's selection). */
import { useState } from 'react';
import { Alert, Form, Input, List, Modal } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { applyFieldErrors, validateForm } from '../../shared/form-errors';
import { TextItem } from '../../shared/TextItem';
import { UnitPicker } from '../UnitPicker';
import { beijingDate, type Supervision } from './types';

interface Props {
  caseIds: string[];
  /** Titles to show for the cases (caseNo + title). */
  titles?: Record<string, string>;
  /** The unit now handling the case, proposed as the unit supervised. */
  unitId?: string | undefined;
  onDone: (s: Supervision) => void;
  onCancel: () => void;
}

export function OpenSupervisionModal({ caseIds, titles, unitId, onDone, onCancel }: Props) {
  const [form] = Form.useForm<{ unitId: string; problem: string; dueDate: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await validateForm(form);
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<Supervision>('/api/office/supervisions', { caseIds, unitId: v.unitId, problem: v.problem.trim(), dueDate: v.dueDate }));
    } catch (e) {
      if (applyFieldErrors(form, e, { caseIds: 'problem' }) === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={caseIds.length > 1 ? `发起督办（${caseIds.length} 件）` : '发起督办'} okText="发起督办" cancelText="取消" confirmLoading={busy} onOk={() => void submit()} onCancel={onCancel} destroyOnHidden>
      {titles && caseIds.length > 1 && <List size="small" bordered style={{ marginBottom: 12, maxHeight: 160, overflow: 'auto' }} dataSource={caseIds} renderItem={(id) => <List.Item>{titles[id] ?? id}</List.Item>} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ unitId, dueDate: beijingDate(7) }}>
        <Form.Item name="unitId" label="被督办单位" rules={[{ required: true, message: '请选择被督办单位' }]} extra="须为受理或承办过所选信访件的单位；检举揭发件不得督办被检举单位。">
          <UnitPicker assignableOnly placeholder="选择被督办单位" aria-label="被督办单位" />
        </Form.Item>
        <TextItem name="problem" label="督办事项" rows={4} placeholder="写明发现的问题和要求（内部文字，不向信访人公开）" required="请写明督办事项" min={5} noun="督办事项" max={2000} />
        <Form.Item name="dueDate" label="书面报告期限" rules={[{ required: true, message: '请填写报告期限' }]} extra="信访人查询时可看到“本件已列入督办”及报告期限。">
          <Input type="date" aria-label="书面报告期限" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
