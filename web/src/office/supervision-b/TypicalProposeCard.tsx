/** On the case page: propose the case as a typical case (典型案例), starting from a redacted draft. */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Switch, Typography } from 'antd';
import { api, ApiError, errorMessage } from '../../shared/api';
import { validateForm } from '../../shared/form-errors';

interface Draft {
  eligible: boolean;
  problem: string | null;
  publicConsent: boolean;
  draft: { title: string; summary: string };
  existing: { statusLabel: string; kindLabel: string } | null;
}

export function TypicalProposeCard({ caseId }: { caseId: string }) {
  const { message } = App.useApp();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ kind: 'good' | 'bad'; title: string; summary: string; commentary: string; public: boolean }>();
  const start = async () => {
    try {
      const d = await api.get<Draft>(`/api/office/cases/${caseId}/typical-draft`);
      setDraft(d);
      form.setFieldsValue({ kind: 'good', title: d.draft.title, summary: d.draft.summary, commentary: '', public: false });
      setOpen(true);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const submit = async () => {
    const v = await validateForm(form);
    setBusy(true);
    try {
      await api.post(`/api/office/cases/${caseId}/typical`, v);
      message.success('已推荐，等待领导审定');
      setOpen(false);
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) form.setFields(Object.entries(e.fields).map(([name, err]) => ({ name: name as 'title', errors: [err] })));
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="典型案例" size="small">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        办得好或办得不好的件，可以推荐为正面或反面典型，经领导审定后在全省发布。
      </Typography.Paragraph>
      <Button onClick={() => void start()}>推荐为典型案例</Button>
      <Modal open={open} title="推荐为典型案例" okText="提交推荐" cancelText="取消" onOk={() => void submit()} onCancel={() => setOpen(false)} confirmLoading={busy} width={720} okButtonProps={{ disabled: draft?.eligible === false }} destroyOnHidden>
        {draft && !draft.eligible && <Alert type="warning" showIcon title={draft.problem} style={{ marginBottom: 12 }} />}
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title="以下文字已自动去除可识别的个人信息，请逐字核对后再提交（姓名写作“王某”，不得出现电话、身份证号码、详细地址）。" />
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label="类型">
            <Radio.Group options={[{ value: 'good', label: '正面典型（推广经验）' }, { value: 'bad', label: '反面典型（曝光问题）' }]} />
          </Form.Item>
          <Form.Item name="title" label="标题" rules={[{ required: true, min: 4, message: '标题至少 4 个字' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="summary" label="案情（已去除个人信息）" rules={[{ required: true, min: 10, message: '案情至少 10 个字' }]}>
            <Input.TextArea rows={5} maxLength={5000} />
          </Form.Item>
          <Form.Item name="commentary" label="点评" rules={[{ required: true, min: 10, message: '点评至少 10 个字' }]}>
            <Input.TextArea rows={3} maxLength={5000} placeholder="好在哪里、错在哪里，各地应当学习或引以为戒的是什么" />
          </Form.Item>
          <Form.Item name="public" label={draft?.publicConsent ? '审定后同时在阳光信访公开' : '信访人未同意公开，不能在阳光信访公开'} valuePropName="checked">
            <Switch disabled={!draft?.publicConsent} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
