/**
 * 登记来信/来访/来电: a registrar enters a case for a citizen (POST /api/office/entries), uploads the
 * scanned letter, and hands over the query code — printed on the receipt, and by SMS when a phone
 * was given. The receiving unit is the registrar's own bureau or mailbox office.
 */
import { useMemo, useRef, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Cascader, Checkbox, Col, Form, Input, Radio, Result, Row, Select, Space, Typography, Upload, type UploadFile } from 'antd';
import { MinusCircleOutlined, PlusOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { api, ApiError, errorMessage } from '../shared/api';
import { applyFieldErrors } from '../shared/form-errors';
import { realNamePattern, validateIdNumber, validateMobile, localToday } from '../shared/validation';
import { useSession } from '../shared/session';
import { useOfficeData } from './data';
import { UnitPicker } from './UnitPicker';
import type { RegionNode } from './types';

type Channel = 'letter' | 'visit' | 'call';
const channelNames: Record<Channel, string> = { letter: '来信', visit: '来访', call: '来电' };

interface EntryValues {
  channel: Channel;
  receivedAt?: string;
  petitioner: { name: string; idNumber?: string; phone?: string; address?: string };
  coPetitioners?: { name: string; phone?: string; representative?: boolean }[];
  categoryCode: string;
  region: string[];
  title: string;
  content: string;
  publicConsent?: boolean;
  denunciation?: boolean;
  accusedUnitIds?: string[];
}

interface EntryResult {
  id: string;
  caseNo: string;
  queryCode: string;
  channel: Channel;
  submittedAt: string;
  receivingUnitName: string;
  petitioner: { name: string; phone: string | null };
  smsQueued: boolean;
  linkedAccount: boolean;
  trackUrl: string;
  deadlines: { accept: string | null };
  receipt: { filename: string; base64: string };
}

interface Done {
  entry: EntryResult;
  title: string;
  channel: Channel;
  uploads: { name: string; error?: string }[];
}

function pathTo(regions: RegionNode[], code: string): string[] {
  const walk = (nodes: RegionNode[], trail: string[]): string[] | null => {
    for (const n of nodes) {
      const here = [...trail, n.code];
      if (n.code === code) return here;
      const found = n.children ? walk(n.children, here) : null;
      if (found) return found;
    }
    return null;
  };
  return walk(regions, []) ?? [];
}

interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}
const toOptions = (nodes: RegionNode[]): CascaderOption[] =>
  nodes.map((n) => ({ value: n.code, label: n.name, ...(n.children?.length ? { children: toOptions(n.children) } : {}) }));

function pdfUrl(base64: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}

function ReceiptScreen({ done, onNext }: { done: Done; onNext(): void }) {
  const { entry } = done;
  const pdf = useMemo(() => pdfUrl(entry.receipt.base64), [entry.receipt.base64]);
  const failed = done.uploads.filter((u) => u.error);
  return (
    <>
      <Result
        className="xf-no-print"
        status="success"
        title={<h2 style={{ fontSize: 22, margin: 0 }}>已登记{channelNames[done.channel]}</h2>}
        subTitle={
          entry.smsQueued
            ? `查询码已通过短信发送至信访人手机 ${entry.petitioner.phone ?? ''}，请同时打印回执交给（或寄给）信访人。`
            : '信访人未留手机号码，未发送短信：请打印回执交给（或寄给）信访人。'
        }
        extra={[
          <Button key="print" type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印回执
          </Button>,
          <Button key="pdf" href={pdf} download={entry.receipt.filename}>
            下载回执 PDF
          </Button>,
          <Link key="case" to={`/office/cases/${entry.id}`}>
            <Button>查看信访件</Button>
          </Link>,
          <Button key="next" onClick={onNext}>
            继续登记
          </Button>,
        ]}
      />
      {failed.length > 0 && (
        <Alert
          className="xf-no-print"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="部分材料未能上传，可在信访件受理前重新登记上传："
          description={failed.map((u) => `${u.name}：${u.error}`).join('；')}
        />
      )}
      <section className="xf-receipt" aria-label="登记回执">
        <h2>信访事项登记回执</h2>
        <dl>
          <dt>信访件编号</dt>
          <dd data-testid="entry-case-no">{entry.caseNo}</dd>
          <dt>查询码</dt>
          <dd className="xf-receipt-code" data-testid="entry-query-code">
            {entry.queryCode}
          </dd>
          <dt>信访形式</dt>
          <dd>{channelNames[done.channel]}</dd>
          <dt>信访人</dt>
          <dd>{entry.petitioner.name}</dd>
          <dt>事项</dt>
          <dd>{done.title}</dd>
          <dt>受理机关</dt>
          <dd>{entry.receivingUnitName}</dd>
          <dt>登记时间</dt>
          <dd>{new Date(entry.submittedAt).toLocaleString('zh-CN', { hour12: false })}</dd>
          {entry.deadlines.accept && (
            <>
              <dt>受理告知期限</dt>
              <dd>{entry.deadlines.accept} 前告知是否受理</dd>
            </>
          )}
        </dl>
        <dl>
          <dt>查询网址</dt>
          <dd data-testid="entry-track-url">{entry.trackUrl}</dd>
        </dl>
        <p>
          如何查询：访问上面的查询网址（或本平台网上信访首页的“查询信访件”），输入查询码，即可查看办理进度、答复意见和需要您签署的文书。
          {entry.linkedAccount ? '本件已归入您的实名账户，登录后在“我的信访”中也可查看。' : ''}
        </p>
        <p>请妥善保管查询码，不要告诉他人。</p>
      </section>
    </>
  );
}

export function EntryPage() {
  const { me } = useSession();
  const { catalog, refreshCounts } = useOfficeData();
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  // One key per entry: a double click or a retry after a lost answer never registers twice.
  const idemKey = useRef(crypto.randomUUID());
  const channel = Form.useWatch('channel', form) ?? 'letter';
  const phone = Form.useWatch(['petitioner', 'phone'], form);
  const denunciation = Form.useWatch('denunciation', form);
  const regionOptions = useMemo(() => toOptions(catalog?.regions ?? []), [catalog]);

  if (!me?.permissions.includes('case.register')) {
    return <Result status="403" title={<h2 style={{ fontSize: 20, margin: 0 }}>您的角色不能登记来信、来访、来电</h2>} extra={<Link to="/office">返回工作台</Link>} />;
  }
  if (done) {
    return (
      <ReceiptScreen
        done={done}
        onNext={() => {
          setDone(null);
          setFiles([]);
          setError(null);
          idemKey.current = crypto.randomUUID();
          form.resetFields();
        }}
      />
    );
  }

  const submit = async (v: EntryValues) => {
    setBusy(true);
    setError(null);
    const body = {
      channel: v.channel,
      receivedAt: v.receivedAt ? new Date(v.receivedAt).toISOString() : undefined,
      petitioner: {
        name: v.petitioner.name.trim(),
        ...(v.petitioner.idNumber?.trim() ? { idNumber: v.petitioner.idNumber.trim() } : {}),
        ...(v.petitioner.phone?.trim() ? { phone: v.petitioner.phone.trim() } : {}),
        ...(v.petitioner.address?.trim() ? { address: v.petitioner.address.trim() } : {}),
      },
      ...(v.coPetitioners?.length
        ? { coPetitioners: v.coPetitioners.map((c) => ({ name: c.name.trim(), ...(c.phone?.trim() ? { phone: c.phone.trim() } : {}), representative: !!c.representative })) }
        : {}),
      categoryCode: v.categoryCode,
      regionCode: v.region[v.region.length - 1]!,
      title: v.title.trim(),
      content: v.content.trim(),
      publicConsent: !!v.publicConsent,
      ...(v.denunciation ? { denunciation: true, ...(v.accusedUnitIds?.length ? { accusedUnitIds: v.accusedUnitIds } : {}) } : {}),
    };
    let entry: EntryResult;
    try {
      entry = await api.post<EntryResult>('/api/office/entries', body, { 'idempotency-key': idemKey.current });
    } catch (e) {
      const marked = applyFieldErrors(form, e, { regionCode: 'region' });
      setError(e instanceof ApiError && e.status === 403 ? `无法登记：${e.message}` : marked > 0 ? `${errorMessage(e)}（见标注的项目）` : errorMessage(e));
      setBusy(false);
      return;
    }
    const uploads: Done['uploads'] = [];
    for (const f of files) {
      const fd = new FormData();
      fd.append('file', f.originFileObj as Blob, f.name);
      try {
        await api.upload(`/api/office/entries/${entry.id}/attachments`, fd);
        uploads.push({ name: f.name });
      } catch (e) {
        uploads.push({ name: f.name, error: errorMessage(e) });
      }
    }
    setBusy(false);
    refreshCounts();
    void message.success(`已登记，信访件编号 ${entry.caseNo}`);
    setDone({ entry, title: body.title, channel: v.channel, uploads });
  };

  const idHint = (_: unknown, value?: string) => {
    if (!value?.trim()) return Promise.resolve();
    const r = validateIdNumber(value, localToday());
    return r.ok ? Promise.resolve() : Promise.reject(new Error(`${r.reason}（按 GB 11643 校验，请核对证件）`));
  };
  const mobileRule = (label: string) => (_: unknown, value?: string) => {
    if (!value?.trim()) return Promise.resolve();
    const r = validateMobile(value);
    return r.ok ? Promise.resolve() : Promise.reject(new Error(`${label}${r.reason}`));
  };

  return (
    <article aria-labelledby="entry-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/office">工作台</Link> }, { title: '登记来信/来访/来电' }]} />
      <h2 id="entry-title" className="xf-office-page-title">
        登记来信/来访/来电
      </h2>
      <Typography.Paragraph type="secondary">
        受理机关：{me.unit?.name}（按登记人所在单位）。登记后系统生成信访件编号和查询码；留有手机号码的，查询码以短信告知信访人，并可打印回执。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form<EntryValues>
        form={form}
        layout="vertical"
        disabled={busy}
        onFinish={(v) => void submit(v)}
        onFinishFailed={() => setError('请检查标注的项目')}
        initialValues={{ channel: 'letter', region: me.unit ? pathTo(catalog?.regions ?? [], me.unit.regionCode) : [], coPetitioners: [] }}
        scrollToFirstError
      >
        <Card size="small" title="信访形式" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="channel" label="信访形式" rules={[{ required: true, message: '请选择信访形式' }]}>
                <Radio.Group optionType="button" buttonStyle="solid" options={(['letter', 'visit', 'call'] as const).map((c) => ({ value: c, label: channelNames[c] }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="receivedAt"
                label={`${channel === 'letter' ? '收信时间' : channel === 'visit' ? '接待时间' : '接听时间'}（早于登记时填写）`}
                extra="留空即为现在。受理期限从这一天起算；不得晚于现在、早于 30 日前"
              >
                <Input type="datetime-local" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card size="small" title="信访人" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name={['petitioner', 'name']}
                label="姓名"
                rules={[
                  { required: true, whitespace: true, message: '请填写信访人姓名' },
                  { pattern: realNamePattern, message: '请填写真实姓名（2-20 个汉字）' },
                ]}
              >
                <Input autoComplete="off" maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['petitioner', 'idNumber']} label="身份证号码（选填）" rules={[{ validator: idHint }]} extra="与实名账户一致时，本件归入信访人账户">
                <Input autoComplete="off" maxLength={18} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name={['petitioner', 'phone']}
                label={channel === 'letter' ? '手机号码（选填）' : '手机号码'}
                rules={[{ required: channel !== 'letter', whitespace: true, message: '来访、来电须登记手机号码，用于短信告知查询码' }, { validator: mobileRule('') }]}
              >
                <Input autoComplete="off" inputMode="tel" maxLength={20} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name={['petitioner', 'address']}
                label={channel === 'letter' && !phone?.trim() ? '通信地址' : '通信地址（选填）'}
                rules={[{ required: channel === 'letter' && !phone?.trim(), whitespace: true, message: '来信未留手机号码的，须登记通信地址，以便邮寄告知书' }, { max: 200, message: '地址不能超过 200 字' }]}
              >
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          <Form.List name="coPetitioners">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" wrap>
                    <Form.Item name={[f.name, 'name']} label={`联名人 ${i + 1} 姓名`} rules={[{ required: true, whitespace: true, message: '请填写联名人姓名' }, { pattern: realNamePattern, message: '请填写联名人的真实姓名' }]}>
                      <Input autoComplete="off" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'phone']} label="手机号码（选填）" rules={[{ validator: mobileRule('联名人') }]}>
                      <Input autoComplete="off" inputMode="tel" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'representative']} valuePropName="checked" label="代表">
                      <Checkbox>推选为代表</Checkbox>
                    </Form.Item>
                    <Button type="text" aria-label={`删除联名人 ${i + 1}`} icon={<MinusCircleOutlined />} style={{ marginTop: 30 }} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', representative: false })}>
                  添加联名信访人
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Card size="small" title="信访事项" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="categoryCode" label="问题类别" rules={[{ required: true, message: '请选择问题类别' }]}>
                <Select placeholder="请选择" options={(catalog?.categories ?? []).map((c) => ({ value: c.code, label: c.name }))} showSearch optionFilterProp="label" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="region" label="问题发生地" rules={[{ required: true, type: 'array', min: 1, message: '请选择问题发生地' }]} extra="须在本机关辖区内">
                <Cascader options={regionOptions} changeOnSelect placeholder="省 / 市 / 县（区）" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }, { min: 4, message: '标题至少 4 个字' }, { max: 100, message: '标题不能超过 100 个字' }]}>
            <Input maxLength={100} showCount />
          </Form.Item>
          <Form.Item name="content" label="诉求内容" rules={[{ required: true, whitespace: true, message: '请填写诉求内容' }, { min: 10, message: '内容至少 10 个字' }, { max: 5000, message: '内容不能超过 5000 个字' }]}>
            <Input.TextArea rows={6} maxLength={5000} showCount placeholder="按信件、来访或来电的原意如实记录" />
          </Form.Item>
          <Form.Item label="材料（信件扫描件、照片；图片或 PDF）">
            <Upload
              multiple
              accept="image/jpeg,image/png,image/webp,image/gif,application/pdf"
              fileList={files}
              beforeUpload={(file) => {
                setFiles((prev) => [...prev, { uid: file.uid, name: file.name, status: 'done', originFileObj: file, size: file.size, type: file.type }]);
                return false;
              }}
              onRemove={(f) => setFiles((prev) => prev.filter((x) => x.uid !== f.uid))}
            >
              <Button icon={<UploadOutlined />}>选择文件</Button>
            </Upload>
          </Form.Item>
          <Form.Item name="publicConsent" valuePropName="checked">
            <Checkbox>信访人同意在“阳光信访”公开本件（去除个人信息后）</Checkbox>
          </Form.Item>
          <Form.Item name="denunciation" valuePropName="checked" style={{ marginBottom: denunciation ? 8 : undefined }}>
            <Checkbox>检举揭发（不会交给或让被检举单位看到）</Checkbox>
          </Form.Item>
          {denunciation && (
            <Form.Item
              name="accusedUnitIds"
              label="被检举单位（选填，最多 10 个）"
              extra="本件不会交办、转送给这些单位，它们也看不到本件"
              rules={[{ type: 'array', max: 10, message: '被检举单位最多 10 个' }]}
            >
              <UnitPicker multiple allowClear placeholder="选择被检举的单位，可多选" aria-label="被检举单位" />
            </Form.Item>
          )}
        </Card>

        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            登记并生成查询码
          </Button>
          <Link to="/office">
            <Button>取消</Button>
          </Link>
        </Space>
      </Form>
    </article>
  );
}

export default EntryPage;
