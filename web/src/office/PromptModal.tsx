/**
 * A small form in a modal: one text (a reason, an answer…) and optionally a date, sent to the server;
 * server errors shown under the fields or above them. Used wherever staff give a reason for an act
 * (unmasking personal data, withdrawing a publication, supervision and inspection steps).
 */
import { useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { errorMessage } from '../shared/api';
import { applyFieldErrors, validateForm } from '../shared/form-errors';
import { TextItem } from '../shared/TextItem';

export interface PromptField {
  name: string;
  label: string;
  min?: number;
  max: number;
  required?: boolean;
  placeholder?: string;
  rows?: number;
}

interface Props {
  title: string;
  okText: string;
  text?: PromptField;
  date?: { name: string; label: string; initial: string };
  danger?: boolean;
  intro?: React.ReactNode;
  onSubmit: (values: Record<string, string | undefined>) => Promise<void>;
  onCancel: () => void;
}

export function PromptModal({ title, okText, text, date, danger, intro, onSubmit, onCancel }: Props) {
  const [form] = Form.useForm<Record<string, string>>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let v: Record<string, string>;
    try {
      v = await validateForm(form);
    } catch {
      return; // the fields show what is missing
    }
    setBusy(true);
    setError(null);
    try {
      const values: Record<string, string | undefined> = {};
      for (const [k, x] of Object.entries(v)) values[k] = typeof x === 'string' && x.trim() ? x.trim() : undefined;
      await onSubmit(values);
    } catch (e) {
      if (applyFieldErrors(form, e) === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={title} okText={okText} cancelText="取消" okButtonProps={{ danger, loading: busy }} onOk={() => void submit()} onCancel={onCancel} destroyOnHidden>
      {intro}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" initialValues={date ? { [date.name]: date.initial } : {}}>
        {text && (
          <TextItem
            name={text.name}
            label={text.label}
            rows={text.rows ?? 4}
            placeholder={text.placeholder}
            {...(text.required === false ? {} : { required: `请填写${text.label}` })}
            {...(text.min ? { min: text.min } : {})}
            noun={text.label}
            max={text.max}
          />
        )}
        {date && (
          <Form.Item name={date.name} label={date.label} rules={[{ required: true, message: `请填写${date.label}` }]}>
            <Input type="date" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
