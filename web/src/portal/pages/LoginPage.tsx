/** 登录: phone and password; comes back to the page that asked for it. */
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input } from 'antd';
import { api, ApiError, errorMessage } from '../../shared/api';
import { applyFieldErrors } from '../../shared/form-errors';
import { useSession } from '../../shared/session';
import { validateMobile } from '../../shared/validation';
import { PageTitle } from '../components/PageTitle';
import { safeNext } from './auth-next';

export default function LoginPage() {
  const [form] = Form.useForm<{ login: string; password: string }>();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { login: string; password: string }) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { login: v.login.trim(), password: v.password });
      const me = await refresh();
      void navigate(me?.kind === 'staff' ? '/office' : next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) form.setFields([{ name: 'password', errors: ['手机号码或密码不正确'] }]);
      else if (applyFieldErrors(form, e) === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="xf-form-narrow">
      <PageTitle>登录</PageTitle>
      {params.get('next') && <Alert type="info" showIcon title="请先登录，登录后将回到刚才的页面继续填写。" style={{ marginBottom: 16 }} />}
      <section className="xf-section">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} name="login" layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
          <Form.Item
            name="login"
            label="手机号码"
            rules={[
              { required: true, message: '请填写手机号码' },
              {
                validator: (_, v: string | undefined) => {
                  if (!v) return Promise.resolve();
                  const r = validateMobile(v);
                  return r.ok ? Promise.resolve() : Promise.reject(new Error(r.reason));
                },
              },
            ]}
          >
            <Input inputMode="tel" autoComplete="tel" maxLength={20} />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请填写密码' }]}>
            <Input.Password autoComplete="current-password" maxLength={128} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            登录
          </Button>
        </Form>
        <p style={{ marginTop: 16, marginBottom: 0 }}>
          还没有账号？<Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>实名注册</Link>
        </p>
        <p className="xf-muted" style={{ margin: '8px 0 0' }}>
          只想查看办理进度？<Link to="/track">凭查询码查询</Link>，无需登录。
        </p>
      </section>
    </div>
  );
}
