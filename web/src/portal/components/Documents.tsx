/**
 * 文书: the notices, reply opinions and 双向责任书 addressed to the petitioner. Only the petitioner,
 * logged in, downloads them or signs; the signature names the exact file read (its SHA-256).
 */
import { useState } from 'react';
import { App, Button, Tag } from 'antd';
import { api, errorMessage } from '../../shared/api';
import type { DocumentInfo } from '../types';
import { formatTime } from './CaseDetail';

export function Documents({ caseId, items, owner, onSigned }: { caseId: string; items: DocumentInfo[]; owner: boolean; onSigned?: () => Promise<void> }) {
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  if (items.length === 0) return null;

  const sign = (d: DocumentInfo) =>
    void modal.confirm({
      title: `签署《${d.title}》`,
      content: `请先下载并阅读《${d.title}》（${d.docNo}）。签署即表示您本人已阅读并同意其中约定的事项。只有您本人可以签署。`,
      okText: '我已阅读，确认签署',
      cancelText: '暂不签署',
      onOk: async () => {
        if (busy) return;
        setBusy(d.id);
        try {
          await api.post(`/api/cases/${caseId}/documents/${d.id}/sign`, { sha256: d.sha256 });
          void message.success('已签署');
          await onSigned?.();
        } catch (e) {
          void message.error(errorMessage(e));
        } finally {
          setBusy(null);
        }
      },
    });

  return (
    <section className="xf-section" aria-labelledby="xf-documents">
      <h2 id="xf-documents">文书</h2>
      <ul className="xf-docs">
        {items.map((d) => (
          <li key={d.id} className="xf-doc">
            <div>
              <strong>{d.title}</strong> <span className="xf-muted">{d.docNo}</span>
            </div>
            <div className="xf-meta">
              <span>{d.unitName}</span>
              <span>{d.issuedDate}</span>
              {d.petitionerSigns && d.signedAt && <Tag color="green">已于 {formatTime(d.signedAt)} 签署</Tag>}
              {d.signaturePending && <Tag color="orange">待您签署</Tag>}
              {d.superseded && <Tag>已被新责任书取代</Tag>}
            </div>
            {owner ? (
              <div className="xf-doc-actions">
                <a href={d.downloadUrl} download aria-label={`下载《${d.title}》${d.docNo}（PDF）`}>
                  下载 PDF
                </a>
                {d.signaturePending && (
                  <Button type="primary" loading={busy === d.id} onClick={() => sign(d)} aria-label={`签署《${d.title}》`}>
                    签署
                  </Button>
                )}
              </div>
            ) : (
              d.signaturePending && <p className="xf-muted" style={{ margin: 0 }}>请信访人本人登录后在“我的信访”中阅读并签署。</p>
            )}
          </li>
        ))}
      </ul>
      {!owner && <p className="xf-muted" style={{ margin: '8px 0 0' }}>文书载有信访人个人信息，请信访人登录后下载。</p>}
    </section>
  );
}
