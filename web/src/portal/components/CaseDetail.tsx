/**
 * One case as the petitioner (or anyone holding its query code) sees it: state, due dates with a
 * countdown, what waits for the petitioner, the written replies, and every public step with its date.
 */
import type { ReactNode } from 'react';
import { Alert, Tag } from 'antd';
import dayjs from 'dayjs';
import type { AttachmentInfo, OwnerView, TrackingView } from '../types';
import { Deadlines } from './Deadlines';
import { Documents } from './Documents';

const stateColors: Record<string, string> = {
  submitted: 'orange',
  accepted: 'blue',
  assigned: 'blue',
  in_progress: 'processing',
  returned: 'orange',
  replied: 'green',
  under_review: 'purple',
  reviewed: 'green',
  final: 'default',
  closed: 'default',
  rejected: 'red',
  merged: 'default',
  withdrawn: 'default',
};

const channelLabels: Record<string, string> = {
  web: '网上投诉',
  mailbox: '领导信箱',
  email: '电子邮件',
  api: '系统对接',
  letter: '来信',
  visit: '来访',
  call: '来电',
};

export const formatTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');
export const formatDate = (iso: string) => dayjs(iso).format('YYYY-MM-DD');

function size(n: number): string {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

function Attachments({ items, caseId, canDownload }: { items: AttachmentInfo[]; caseId: string; canDownload: boolean }) {
  if (items.length === 0) return null;
  return (
    <ul className="xf-files" aria-label="附件">
      {items.map((a) => (
        <li key={a.id} className="xf-file">
          <span className="xf-file-icon" aria-hidden="true">
            {a.mime === 'application/pdf' ? 'PDF' : '图片'}
          </span>
          <span className="xf-file-name">
            {canDownload ? (
              <a href={`/api/cases/${caseId}/attachments/${a.id}`} download={a.filename}>
                {a.filename}
              </a>
            ) : (
              a.filename
            )}
          </span>
          <span className="xf-muted">{size(a.size)}</span>
        </li>
      ))}
    </ul>
  );
}

function isOwner(v: TrackingView | OwnerView): v is OwnerView {
  return 'queryCode' in v;
}

export function CaseDetail({ view, actions, loginHint, onChanged }: { view: TrackingView | OwnerView; actions?: ReactNode; loginHint?: ReactNode; onChanged?: () => Promise<void> }) {
  const owner = isOwner(view);
  const reviewUntil = view.awaitingPetitioner.find((a) => a.kind === 'review-request')?.until;
  // Two columns on wide screens only when the left one has something to say.
  const hasLeft = owner || !!actions || view.replies.length > 0 || (view.documents ?? []).length > 0;
  return (
    <div className="xf-case">
      <section className="xf-section" aria-labelledby="xf-case-title">
        <div className="xf-case-head">
          <Tag color={stateColors[view.state] ?? 'default'} className="xf-state-tag">
            {view.stateLabel}
          </Tag>
          {view.supervised && <Tag color="red">督办件</Tag>}
          <span className="xf-muted">编号 {view.caseNo}</span>
        </div>
        <h2 id="xf-case-title">{view.title}</h2>
        <dl className="xf-facts">
          <dt>提交时间</dt>
          <dd>{formatTime(view.submittedAt)}</dd>
          <dt>问题类别</dt>
          <dd>{view.category}</dd>
          <dt>问题发生地</dt>
          <dd>{view.regionName}</dd>
          <dt>反映渠道</dt>
          <dd>{channelLabels[view.channel] ?? view.channel}</dd>
          <dt>受理机关</dt>
          <dd>{view.receivingUnitName}</dd>
          <dt>当前办理</dt>
          <dd>{view.currentUnitName}</dd>
          {owner && (
            <>
              <dt>查询码</dt>
              <dd className="xf-code-inline">{view.queryCode}</dd>
            </>
          )}
        </dl>
      </section>

      {view.awaitingPetitioner.length > 0 && (
        <Alert
          className="xf-awaiting"
          type="warning"
          showIcon
          title="需要您办理的事项"
          description={
            <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
              {view.awaitingPetitioner.map((a, i) => (
                <li key={`${a.kind}-${i}`}>
                  {a.label}
                  {a.until && (
                    <>
                      （请于 <time dateTime={a.until}>{a.until}</time> 前提出）
                    </>
                  )}
                </li>
              ))}
            </ul>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {!owner && loginHint}

      <div className={hasLeft ? 'xf-case-columns' : undefined}>
        <div>
          {view.replies.length > 0 && (
            <section className="xf-section" aria-labelledby="xf-replies">
              <h2 id="xf-replies">答复意见</h2>
              {view.replies.map((r, i) => (
                <article key={i} className="xf-reply" aria-label={`${r.kind === 'reply' ? '答复意见书' : '复查/复核意见'} ${formatDate(r.at)}`}>
                  <h3>
                    {r.kind === 'reply' ? '答复意见书' : '复查/复核意见书'}
                    {r.unitName ? ` · ${r.unitName}` : ''}
                  </h3>
                  <div className="xf-muted">
                    <time dateTime={r.at}>{formatTime(r.at)}</time>
                  </div>
                  <p className="xf-pre">{r.text}</p>
                  <Attachments items={r.attachments} caseId={view.id} canDownload={owner} />
                  {!owner && r.attachments.length > 0 && <p className="xf-muted">答复附件请信访人登录后在“我的信访”中下载。</p>}
                </article>
              ))}
              {reviewUntil && (
                <p>
                  如对答复不服，可于 <strong>{reviewUntil}</strong> 前向上一级机关申请{view.state === 'reviewed' ? '复核' : '复查'}。
                </p>
              )}
            </section>
          )}

          <Documents caseId={view.id} items={view.documents ?? []} owner={owner} onSigned={onChanged} />

          {actions}

          {owner && (
            <section className="xf-section" aria-labelledby="xf-content">
              <h2 id="xf-content">我反映的问题</h2>
              <p className="xf-pre">{view.content}</p>
              <dl className="xf-facts" style={{ marginTop: 12 }}>
                {view.address && (
                  <>
                    <dt>详细地址</dt>
                    <dd>{view.address}</dd>
                  </>
                )}
                <dt>同意公开</dt>
                <dd>{view.publicConsent ? '同意去除个人信息后在阳光信访公开' : '不公开'}</dd>
                {view.coPetitioners.length > 0 && (
                  <>
                    <dt>联名人</dt>
                    <dd>
                      {view.coPetitioners.map((c) => `${c.name}${c.representative ? '（代表）' : ''}`).join('、')}（共 {view.coPetitioners.length} 人）
                    </dd>
                  </>
                )}
              </dl>
              <Attachments items={view.attachments.filter((a) => a.purpose === 'petition')} caseId={view.id} canDownload />
            </section>
          )}
        </div>

        <div>
          <section className="xf-section" aria-labelledby="xf-deadlines">
            <h2 id="xf-deadlines">办理期限</h2>
            <Deadlines items={view.deadlines} />
          </section>

          <section className="xf-section" aria-labelledby="xf-timeline">
            <h2 id="xf-timeline">办理过程</h2>
            <ol className="xf-timeline">
              {[...view.timeline].reverse().map((e) => (
                <li key={e.seq} className={`xf-step xf-step-${e.type}`}>
                  <time className="xf-timeline-date" dateTime={e.at}>
                    {formatTime(e.at)}
                  </time>
                  <strong>{e.label}</strong>
                  <div>{e.summary}</div>
                  {e.type === 'message' && e.text && <p className="xf-pre">{e.text}</p>}
                  {e.comment && <p className="xf-pre">评价意见：{e.comment}</p>}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </div>
  );
}
