/**
 * One free-text form field (意见, 理由, 说明 …) with the rules every such field follows: required
 * fields refuse blank (whitespace-only) text, a minimum names what is too short, and the maximum
 * matches the server's limit so the browser refuses first. The server checks the same limits.
 */
import type { ReactNode } from 'react';
import { Form, Input } from 'antd';
import type { Rule } from 'antd/es/form';

export interface TextLimits {
  /** The message when left empty; absent = optional. */
  required?: string;
  min?: number;
  /** What the field is, for the minimum's message: "{noun}至少 {min} 个字". */
  noun?: string;
  max: number;
}

export function textRules({ required, min, noun = '', max }: TextLimits): Rule[] {
  return [
    ...(required ? [{ required: true, whitespace: true, message: required }] : []),
    ...(min ? [{ min, message: `${noun}至少 ${min} 个字` }] : []),
    { max, message: `不能超过 ${max} 个字` },
  ];
}

export interface TextItemProps extends TextLimits {
  name: string;
  label?: ReactNode;
  rows: number;
  placeholder?: string | undefined;
  extra?: ReactNode;
}

export function TextItem({ name, label, rows, placeholder, extra, ...limits }: TextItemProps) {
  return (
    <Form.Item name={name} label={label} rules={textRules(limits)} extra={extra}>
      <Input.TextArea rows={rows} placeholder={placeholder} />
    </Form.Item>
  );
}
