/** 实名注册: name, ID number (GB 11643 check digit), phone, password — checked here and by the server. */
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { applyFieldErrors } from '../../shared/form-errors';
import { useSession } from '../../shared/session';
import { localToday, passwordProblem, realNamePattern, validateIdNumber, validateMobile } from '../../shared/validation';
import { PageTitle } from '../components/PageTitle';
import { safeNext } from './auth-next';

interface Values {
  name: string;
  idNumber: string;
  phone: string;
  password: string;
  confirm: string;
}

const check = (fn: (v: string) => string | null) => ({
  validator: (_: unknown, v: string | undefined) => {
    if (!v) return Promise.resolve();
    const problem = fn(v);
    return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
  },
});

export default function RegisterPage() {
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/register', { name: v.name.trim(), idNumber: v.idNumber.trim().toUpperCase(), phone: v.phone.trim(), password: v.password });
      await refresh();
      void navigate(next, { replace: true });
    } catch (e) {
      if (applyFieldErrors(form, e) === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="xf-form-narrow">
      <PageTitle>实名注册</PageTitle>
      <p className="xf-lead">信访实行实名制。您的身份证号码和手机号码加密保存，工作人员看到的是脱敏信息。</p>
      <section className="xf-section">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} name="register" layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)} validateTrigger={['onBlur', 'onChange']}>
          <Form.Item
            name="name"
            label="真实姓名"
            validateTrigger="onBlur"
            rules={[{ required: true, whitespace: true, message: '请填写真实姓名' }, check((v) => (realNamePattern.test(v.trim()) ? null : '请填写真实姓名（2-20 个汉字）'))]}
          >
            <Input autoComplete="name" maxLength={50} />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label="居民身份证号码"
            extra="18 位，最后一位可能是 X"
            validateTrigger="onBlur"
            rules={[
              { required: true, whitespace: true, message: '请填写身份证号码' },
              check((v) => {
                const r = validateIdNumber(v, localToday());
                return r.ok ? null : r.reason;
              }),
            ]}
          >
            <Input autoComplete="off" maxLength={18} inputMode="text" autoCapitalize="characters" spellCheck={false} />
          </Form.Item>
          <Form.Item
            name="phone"
            label="手机号码"
            extra="用于登录和接收办理进度短信"
            validateTrigger="onBlur"
            rules={[
              { required: true, message: '请填写手机号码' },
              check((v) => {
                const r = validateMobile(v);
                return r.ok ? null : r.reason;
              }),
            ]}
          >
            <Input inputMode="tel" autoComplete="tel" maxLength={20} />
          </Form.Item>
          <Form.Item name="password" label="设置密码" extra="至少 8 位，包含字母、数字、符号中的至少两类" rules={[{ required: true, message: '请设置密码' }, check(passwordProblem)]}>
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入密码"
            dependencies={['password']}
            rules={[
              { required: true, message: '请再次输入密码' },
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) =>
                  !v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            注册并登录
          </Button>
        </Form>
        <p style={{ marginTop: 16, marginBottom: 0 }}>
          已有账号？<Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>直接登录</Link>
        </p>
      </section>
    </div>
  );
}
