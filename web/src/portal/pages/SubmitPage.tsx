/**
 * 网上投诉 / 领导信箱: the submission form. Every keystroke goes to the draft (localStorage, files in
 * IndexedDB); the draft's Idempotency-Key makes a retry after a lost answer return the same case;
 * attachments are uploaded after the case exists, and the draft is cleared only when all is done.
 */
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Checkbox, Form, Input, Skeleton, Switch } from 'antd';
import { NativeSelect, RegionPicker } from '../components/NativeSelect';
import { api, ApiError, errorMessage } from '../../shared/api';
import { applyFieldErrors } from '../../shared/form-errors';
import type { Me } from '../../shared/session';
import { realNamePattern, validateMobile } from '../../shared/validation';
import { PageTitle } from '../components/PageTitle';
import { RequireCitizen } from '../components/RequireCitizen';
import { regionPath, useCatalog } from '../catalog';
import { clearDraft, emptyDraft, getFile, loadDraft, newIdempotencyKey, putFile, saveDraft, type Draft, type DraftFile, type DraftValues } from '../draft';
import type { Catalog, CoPetitioner, SubmitResult } from '../types';

const maxFiles = 10;
const maxFileBytes = 10 * 1024 * 1024;
const maxRepresentatives = 5;

interface FormValues {
  target: string;
  categoryCode: string;
  region: string[];
  address?: string;
  title: string;
  content: string;
  joint?: boolean;
  coPetitioners?: CoPetitioner[];
  publicConsent?: boolean;
}

interface LocalFile extends DraftFile {
  blob: Blob | null;
  url?: string;
  error?: string;
}

type Notice = { type: 'error' | 'warning' | 'info'; title: string; description?: string } | null;

function buildBody(v: FormValues) {
  const co = v.joint
    ? (v.coPetitioners ?? [])
        .filter((c) => c?.name?.trim())
        .map((c) => ({ name: c.name.trim(), ...(c.phone?.trim() ? { phone: c.phone.trim() } : {}), ...(c.representative ? { representative: true } : {}) }))
    : [];
  return {
    target: v.target,
    categoryCode: v.categoryCode,
    regionCode: v.region[v.region.length - 1] ?? '',
    ...(v.address?.trim() ? { address: v.address.trim() } : {}),
    title: v.title.trim(),
    content: v.content.trim(),
    ...(co.length > 0 ? { coPetitioners: co } : {}),
    publicConsent: v.publicConsent === true,
  };
}

const fileMeta = (f: LocalFile): DraftFile => ({ id: f.id, name: f.name, type: f.type, size: f.size, uploaded: f.uploaded });
const hasContent = (v: DraftValues) => !!(v.title || v.content || v.address || (v.coPetitioners && v.coPetitioners.length > 0));

function ScopeReminder({ catalog }: { catalog: Catalog }) {
  return (
    <details className="xf-section xf-details">
      <summary>提交前请确认：您反映的事项属于信访受理范围</summary>
      <ul>
        {catalog.acceptanceScope.notAccepted.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <p className="xf-muted" style={{ margin: 0 }}>
        {catalog.guidanceChannels
          .filter((g) => ['litigation', 'arbitration', 'admin_review', 'discipline'].includes(g.code))
          .map((g) => g.text)
          .join('')}
      </p>
    </details>
  );
}

function SubmitForm({ me, catalog }: { me: Me; catalog: Catalog }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const draft = useRef<Draft>(loadDraft(me.id) ?? emptyDraft());
  const [restored, setRestored] = useState(() => hasContent(draft.current.values));
  const [files, setFiles] = useState<LocalFile[]>([]);
  const [filesLoaded, setFilesLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [created, setCreated] = useState(draft.current.created ?? null);
  const joint = Form.useWatch('joint', form);
  const target = Form.useWatch('target', form);
  const content = Form.useWatch('content', form) ?? '';

  const targetParam = params.get('target');
  const initialTarget = targetParam && catalog.targets.some((t) => t.code === targetParam) ? targetParam : (draft.current.values.target ?? 'bureau');
  const mailboxRegion = catalog.targets.find((t) => t.code === initialTarget)?.regionCode;
  const initialValues: Partial<FormValues> = {
    publicConsent: false,
    joint: false,
    ...draft.current.values,
    target: initialTarget,
    region: draft.current.values.region ?? (mailboxRegion && !mailboxRegion.endsWith('0000') ? regionPath(catalog, mailboxRegion) : undefined),
  };

  const finished = useRef(false); // after success nothing may write the draft back
  const persist = (patch: Partial<Draft> = {}) => {
    if (finished.current) return;
    draft.current = { ...draft.current, values: form.getFieldsValue(true) as DraftValues, ...patch };
    saveDraft(me.id, draft.current);
  };

  // Bring back the photos and PDFs kept with the draft.
  useEffect(() => {
    let live = true;
    void (async () => {
      const out: LocalFile[] = [];
      for (const f of draft.current.files) {
        const blob = await getFile(f.id);
        if (!blob && !f.uploaded) continue; // lost (storage cleared): the citizen picks it again
        out.push({ ...f, blob, url: blob && f.type.startsWith('image/') ? URL.createObjectURL(blob) : undefined });
      }
      if (live) {
        setFiles(out);
        setFilesLoaded(true);
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (filesLoaded) persist({ files: files.map(fileMeta) });
  }, [files, filesLoaded]); // persist reads refs only

  const addFiles = async (list: FileList | null) => {
    if (!list) return;
    const added: LocalFile[] = [];
    for (const file of Array.from(list)) {
      if (files.length + added.length >= maxFiles) {
        void message.warning(`每件最多上传 ${maxFiles} 个附件`);
        break;
      }
      if (!file.type.startsWith('image/') && file.type !== 'application/pdf') {
        void message.error(`“${file.name}”不是图片或 PDF 文件`);
        continue;
      }
      if (file.size > maxFileBytes) {
        void message.error(`“${file.name}”超过 10 MB，请压缩后再上传`);
        continue;
      }
      const id = newIdempotencyKey();
      await putFile(id, file);
      added.push({ id, name: file.name || '照片.jpg', type: file.type, size: file.size, uploaded: false, blob: file, url: file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined });
    }
    if (added.length > 0) setFiles((prev) => [...prev, ...added]);
  };

  const removeFile = (id: string) => {
    setFiles((prev) => prev.filter((f) => f.id !== id));
  };

  const startOver = () => {
    clearDraft(me.id, draft.current);
    draft.current = emptyDraft();
    form.resetFields();
    form.setFieldsValue({ target: initialTarget, joint: false, publicConsent: false, region: undefined, title: '', content: '', address: '', coPetitioners: [] });
    setFiles([]);
    setCreated(null);
    setRestored(false);
    setNotice(null);
  };

  /** Sends the draft once; a retry sends the same key, so the server answers with the same case. */
  const createCase = async (body: ReturnType<typeof buildBody> & { repeatDecision?: 'same' | 'new' }): Promise<{ result: SubmitResult; earlier: boolean }> => {
    const previous = draft.current.attempted;
    const sent = JSON.stringify(body);
    persist({ attempted: sent });
    const headers = { 'Idempotency-Key': draft.current.idempotencyKey };
    try {
      return { result: await api.post<SubmitResult>('/api/cases', body, headers), earlier: false };
    } catch (e) {
      // The earlier attempt did reach the server before the network dropped: the key is taken by
      // that (different) text. Fetch that case back by replaying its exact body.
      if (e instanceof ApiError && e.code === 'idempotency_mismatch' && previous && previous !== sent) {
        return { result: await api.post<SubmitResult>('/api/cases', JSON.parse(previous) as Record<string, unknown>, headers), earlier: true };
      }
      throw e;
    }
  };

  /** Uploads what is not yet on the server; `retry` failed on the way (network), `refused` the server will never take. */
  const uploadAll = async (caseId: string): Promise<{ retry: LocalFile[]; refused: LocalFile[] }> => {
    const retry: LocalFile[] = [];
    const refused: LocalFile[] = [];
    let current = files;
    for (const f of files) {
      if (f.uploaded) continue;
      let next: LocalFile;
      if (!f.blob) {
        next = { ...f, uploaded: true, error: '文件已丢失，请在“我的信访”中留言说明' };
        refused.push(next);
      } else {
        const fd = new FormData();
        fd.append('file', f.blob, f.name);
        try {
          await api.upload(`/api/cases/${caseId}/attachments`, fd);
          next = { ...f, uploaded: true, error: undefined };
        } catch (e) {
          // A file the server refuses (type, size, count) would be refused again: do not retry it.
          const permanent = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 429;
          next = { ...f, uploaded: permanent, error: errorMessage(e) };
          (permanent ? refused : retry).push(next);
        }
      }
      current = current.map((x) => (x.id === f.id ? next : x));
      setFiles(current);
    }
    return { retry, refused };
  };

  const onFinish = async (v: FormValues) => {
    if (inFlight.current) return; // a double tap submits once
    inFlight.current = true;
    setBusy(true);
    setNotice(null);
    try {
      let done = created;
      if (!done) {
        let r: { result: SubmitResult; earlier: boolean };
        try {
          r = await createCase(buildBody(v));
        } catch (e) {
          // 重复信访: a similar case of this petitioner is open; ask whether it is the same matter.
          if (!(e instanceof ApiError && e.code === 'possible_repeat')) throw e;
          const decision = await new Promise<'same' | 'new'>((resolve) => {
            modal.confirm({
              title: '您可能已反映过这件事',
              content: `您有一件相似的信访件正在办理中：编号 ${e.fields.repeatOfCaseNo ?? ''}，查询码 ${e.fields.repeatOfQueryCode ?? ''}。如果是同一事项，本次内容将作为留言补充到该件，不另立新件；如果是另一件事，请选择“这是新的事项”。`,
              okText: '是同一事项，补充到原件',
              cancelText: '这是新的事项',
              onOk: () => resolve('same'),
              onCancel: () => resolve('new'),
            });
          });
          r = await createCase({ ...buildBody(v), repeatDecision: decision });
        }
        // `earlier`: the server had registered the text sent before the network dropped, not this edit.
        done = { id: r.result.id, caseNo: r.result.caseNo, queryCode: r.result.queryCode, earlier: r.earlier };
        persist({ created: done });
        setCreated(done);
      }
      const { retry, refused } = await uploadAll(done.id);
      if (retry.length > 0) {
        setNotice({
          type: 'warning',
          title: `信访件已登记（查询码 ${done.queryCode}），但有 ${retry.length} 个附件未能上传`,
          description: '请检查网络后点击“继续上传附件”；信访件不会重复提交。',
        });
        return;
      }
      finished.current = true;
      clearDraft(me.id, draft.current);
      void navigate(`/submitted/${done.id}`, { replace: true, state: { ...done, refused: refused.map((f) => `${f.name}：${f.error ?? ''}`) } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        void navigate(`/login?next=${encodeURIComponent('/submit')}`);
        return;
      }
      const n = applyFieldErrors(form, e, { regionCode: 'region', coPetitioners: 'joint' });
      if (e instanceof ApiError && e.status === 0) {
        setNotice({ type: 'error', title: '网络连接中断，信访件可能尚未提交', description: '您填写的内容已保存在本机。恢复网络后再次点击“提交信访件”即可，不会重复提交。' });
      } else if (n > 0 && e instanceof ApiError) {
        setNotice({ type: 'error', title: errorMessage(e), description: '请按标注修改后再提交。' });
        const first = Object.keys(e.fields)[0] ?? 'title';
        form.scrollToField(first === 'regionCode' ? 'region' : first.startsWith('coPetitioners') ? 'joint' : first);
      } else {
        setNotice({ type: 'error', title: errorMessage(e) });
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  useEffect(() => {
    if (created && !busy && files.every((f) => f.uploaded)) {
      // The case exists and nothing is left to send (e.g. the page was reloaded after the uploads).
      setNotice({ type: 'info', title: `信访件已登记（查询码 ${created.queryCode}）`, description: '点击“查看回执”取得查询码回执。' });
    }
  }, [created, busy, files]);

  const targetInfo = catalog.targets.find((t) => t.code === target);

  return (
    <>
      {restored && !created && (
        <Alert
          type="info"
          showIcon
          title="已恢复您上次未提交的内容"
          action={
            <Button
              size="small"
              onClick={() =>
                void modal.confirm({ title: '清空草稿？', content: '已填写的内容和选择的附件将被清除。', okText: '清空', cancelText: '保留', onOk: startOver })
              }
            >
              清空重填
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {notice && <Alert type={notice.type} showIcon title={notice.title} description={notice.description} style={{ marginBottom: 16 }} role="alert" />}
      <ScopeReminder catalog={catalog} />
      <Form
        form={form}
        name="submit"
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={() => persist()}
        onFinish={(v) => void onFinish(v)}
        onFinishFailed={() => setNotice({ type: 'error', title: '还有内容需要修改', description: '请按红色提示修改后再提交。' })}
        scrollToFirstError
        disabled={!!created}
      >
        <section className="xf-section" aria-labelledby="sec-where">
          <h2 id="sec-where">向谁反映</h2>
          <Form.Item name="target" label="投诉对象" rules={[{ required: true, message: '请选择投诉对象' }]} extra={targetInfo?.kind === 'bureau' ? '由问题发生地的信访局登记受理' : '由领导信箱办公室登记办理'}>
            <NativeSelect options={catalog.targets.map((t) => ({ value: t.code, label: t.name }))} />
          </Form.Item>
          <Form.Item name="categoryCode" label="问题类别" rules={[{ required: true, message: '请选择问题类别' }]}>
            <NativeSelect placeholder="请选择" options={catalog.categories.map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
          <Form.Item
            name="region"
            label="问题发生地"
            rules={[
              { required: true, type: 'array', min: 1, message: '请选择问题发生地' },
              { validator: (_, v: string[] | undefined) => (!v || v.length === 0 || v.length >= 3 ? Promise.resolve() : Promise.reject(new Error('请选择到县（市、区）'))) },
            ]}
          >
            <RegionPicker regions={catalog.regions} disabled={!!created} />
          </Form.Item>
          <Form.Item name="address" label="详细地址（选填）" rules={[{ max: 200, message: '地址不能超过 200 个字' }]}>
            <Input maxLength={200} placeholder="如：某某镇某某村、某某小区" autoComplete="street-address" />
          </Form.Item>
        </section>

        <section className="xf-section" aria-labelledby="sec-what">
          <h2 id="sec-what">反映什么</h2>
          <Form.Item
            name="title"
            label="标题"
            rules={[
              { required: true, whitespace: true, message: '请填写标题' },
              { min: 4, message: '标题至少 4 个字' },
              { max: 100, message: '标题不能超过 100 个字' },
            ]}
          >
            <Input maxLength={100} showCount placeholder="一句话说明问题，如：小区供暖不热" />
          </Form.Item>
          <Form.Item
            name="content"
            label="具体内容"
            extra={
              <>
                <span className="xf-count" id="content-count">
                  {Array.from(content).length} / 5000 字
                </span>
                写清时间、地点、经过和您的诉求。请勿填写与本事项无关的他人个人信息。
              </>
            }
            rules={[
              { required: true, whitespace: true, message: '请填写具体内容' },
              { min: 10, message: '内容至少 10 个字' },
              { max: 5000, message: '内容不能超过 5000 个字' },
            ]}
          >
            <Input.TextArea rows={7} maxLength={5000} />
          </Form.Item>

          <div className="ant-form-item">
            <div id="attach-label" className="xf-label">
              附件（选填）
            </div>
            <p className="xf-muted" style={{ margin: '0 0 8px' }} id="attach-help">
              可拍照或选择图片、PDF，最多 {maxFiles} 个，每个不超过 10 MB。
            </p>
            <div className="xf-file-buttons" role="group" aria-labelledby="attach-label" aria-describedby="attach-help">
              <label className="xf-cta xf-cta-secondary xf-file-pick">
                拍照
                <input
                  type="file"
                  className="xf-visually-hidden"
                  accept="image/*,application/pdf"
                  capture="environment"
                  data-testid="attach-camera"
                  disabled={!!created}
                  onChange={(e) => {
                    void addFiles(e.target.files);
                    e.target.value = '';
                  }}
                />
              </label>
              <label className="xf-cta xf-cta-secondary xf-file-pick">
                选择图片/PDF
                <input
                  type="file"
                  className="xf-visually-hidden"
                  accept="image/*,application/pdf"
                  multiple
                  data-testid="attach-files"
                  disabled={!!created}
                  onChange={(e) => {
                    void addFiles(e.target.files);
                    e.target.value = '';
                  }}
                />
              </label>
            </div>
            {files.length > 0 && (
              <ul className="xf-files" aria-label="已选择的附件">
                {files.map((f) => (
                  <li key={f.id} className="xf-file">
                    {f.url ? <img src={f.url} alt="" /> : <span className="xf-file-icon">PDF</span>}
                    <span className="xf-file-name">
                      {f.name}
                      {f.uploaded && !f.error && <span className="xf-muted">（已上传）</span>}
                      {f.error && <span className="xf-file-error">（{f.error}）</span>}
                    </span>
                    {!f.uploaded && (
                      <Button type="link" danger onClick={() => removeFile(f.id)} aria-label={`删除附件 ${f.name}`}>
                        删除
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>

        <section className="xf-section" aria-labelledby="sec-who">
          <h2 id="sec-who">联名与公开</h2>
          <Form.Item name="joint" label="多人联名信访" valuePropName="checked" extra={`多人共同反映同一问题时开启，联名人超过 5 人的须推选代表，代表最多 ${maxRepresentatives} 名`}>
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
          {joint && (
            <Form.List
              name="coPetitioners"
              rules={[
                {
                  validator: async (_, list: CoPetitioner[] | undefined) => {
                    const items = list ?? [];
                    const reps = items.filter((c) => c?.representative).length;
                    if (items.length === 0) throw new Error('请至少添加一位联名人');
                    if (reps > maxRepresentatives) throw new Error(`联名信访最多推选 ${maxRepresentatives} 名代表`);
                    if (items.length > 5 && reps === 0) throw new Error(`联名人超过 5 人，须推选代表（最多 ${maxRepresentatives} 名）`);
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((field, i) => (
                    <fieldset key={field.key} className="xf-co-row">
                      <legend className="xf-visually-hidden">第 {i + 1} 位联名人</legend>
                      <Form.Item
                        name={[field.name, 'name']}
                        label={`联名人 ${i + 1} 姓名`}
                        rules={[
                          { required: true, whitespace: true, message: '请填写联名人姓名' },
                          { validator: (_, v: string | undefined) => (!v || realNamePattern.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error('请填写联名人的真实姓名'))) },
                        ]}
                      >
                        <Input maxLength={50} autoComplete="off" />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'phone']}
                        label="手机号码（选填）"
                        rules={[
                          {
                            validator: (_, v: string | undefined) => {
                              if (!v) return Promise.resolve();
                              const r = validateMobile(v);
                              return r.ok ? Promise.resolve() : Promise.reject(new Error(r.reason));
                            },
                          },
                        ]}
                      >
                        <Input inputMode="tel" maxLength={20} autoComplete="off" />
                      </Form.Item>
                      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap' }}>
                        <Form.Item name={[field.name, 'representative']} valuePropName="checked" style={{ marginBottom: 12 }}>
                          <Checkbox>推选为代表</Checkbox>
                        </Form.Item>
                        <Button type="link" danger onClick={() => remove(field.name)} aria-label={`删除联名人 ${i + 1}`} style={{ marginBottom: 12 }}>
                          删除
                        </Button>
                      </div>
                    </fieldset>
                  ))}
                  <Button onClick={() => add({ name: '', phone: '', representative: false })} block style={{ marginBottom: 8 }}>
                    添加联名人
                  </Button>
                  <Form.ErrorList errors={errors} />
                </>
              )}
            </Form.List>
          )}
          <Form.Item name="publicConsent" valuePropName="checked" style={{ marginTop: 16, marginBottom: 0 }}>
            <Checkbox>同意在办结后去除姓名、电话、住址等个人信息，将本件及答复在“阳光信访”栏目公开（选填）</Checkbox>
          </Form.Item>
        </section>

        <div className="xf-sticky-submit">
          {created ? (
            <div className="xf-actions-row">
              {files.some((f) => !f.uploaded) && (
                <Button type="primary" size="large" loading={busy} onClick={() => void onFinish(form.getFieldsValue(true) as FormValues)} disabled={false}>
                  继续上传附件
                </Button>
              )}
              <Button
                size="large"
                disabled={false}
                onClick={() => {
                  finished.current = true;
                  clearDraft(me.id, draft.current);
                  void navigate(`/submitted/${created.id}`, { replace: true, state: { ...created, refused: files.filter((f) => !f.uploaded).map((f) => `${f.name}：未上传`) } });
                }}
              >
                查看回执
              </Button>
            </div>
          ) : (
            <Button type="primary" htmlType="submit" size="large" block loading={busy} disabled={busy}>
              提交信访件
            </Button>
          )}
        </div>
      </Form>
    </>
  );
}

export default function SubmitPage() {
  const { catalog, error } = useCatalog();
  return (
    <div className="xf-form-narrow">
      <PageTitle>我要投诉</PageTitle>
      <p className="xf-lead">实名提交，立即登记并取得查询码。填写的内容会自动保存在本机，刷新页面也不会丢失。</p>
      <RequireCitizen>
        {(me) => (error ? <Alert type="error" showIcon title="页面数据加载失败" description={error} /> : catalog ? <SubmitForm me={me} catalog={catalog} /> : <Skeleton active paragraph={{ rows: 8 }} />)}
      </RequireCitizen>
    </div>
  );
}
