/** The query-code box: checks the format on the phone before asking the server. */
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { Button, Form, Input } from 'antd';
import { normalizeQueryCode } from '../../shared/validation';

export function QueryCodeForm({ initial, serverError, id = 'track' }: { initial?: string; serverError?: string | null; id?: string }) {
  const [form] = Form.useForm<{ code: string }>();
  const navigate = useNavigate();
  useEffect(() => {
    if (initial !== undefined) form.setFieldsValue({ code: initial });
  }, [form, initial]);
  useEffect(() => {
    if (serverError) form.setFields([{ name: 'code', errors: [serverError] }]);
  }, [form, serverError]);
  return (
    <Form
      form={form}
      name={id}
      layout="vertical"
      requiredMark={false}
      onFinish={({ code }) => {
        const c = normalizeQueryCode(code);
        if (c) void navigate(`/track/${c}`);
      }}
    >
      <Form.Item
        name="code"
        label="查询码"
        extra="提交信访件时取得的 16 位查询码，可不输入短横线，无需登录"
        rules={[
          { required: true, message: '请输入查询码' },
          {
            validator: (_, v: string | undefined) =>
              !v || normalizeQueryCode(v) ? Promise.resolve() : Promise.reject(new Error('查询码应为 16 位字母或数字，如 K7QM-2D9F-X4TB-8HRC')),
          },
        ]}
      >
        <Input
          className="xf-code-input"
          placeholder="如 K7QM-2D9F-X4TB-8HRC"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={24}
          inputMode="text"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large">
        查询办理进度
      </Button>
    </Form>
  );
}
