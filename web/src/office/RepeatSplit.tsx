/**
 * 拆分 on the case page (POST /api/office/cases/{id}/repeats/{linkId}/split): a repeat message the
 * petitioner added as "the same matter" becomes a case of its own; a case the petitioner filed as
 * new is confirmed as not a repeat. Shown only to holders of case.merge.
 */
import { useCallback, useEffect, useState } from 'react';
import { App, Button } from 'antd';
import { ScissorOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../shared/api';

export interface RepeatLink {
  id: string;
  decision: 'same' | 'new';
  staffVerdict: string | null;
  repeatOf: string | null;
  repeatedBy: string | null;
  messageSeq: number | null;
}

interface SplitResult {
  staffVerdict: string;
  newCaseId?: string;
  newCaseNo?: string;
  smsQueued?: boolean;
}

/** The repeat links of a case, keyed by the message they added (for 'same'). */
export function useRepeatLinks(caseId: string, enabled: boolean) {
  const [links, setLinks] = useState<RepeatLink[]>([]);
  const reload = useCallback(() => {
    if (!enabled) return;
    api
      .get<{ items: RepeatLink[] }>(`/api/office/cases/${caseId}/repeats`)
      .then((r) => setLinks(r.items))
      .catch(() => setLinks([]));
  }, [caseId, enabled]);
  useEffect(reload, [reload]);
  return { links, reload };
}

function useSplit(caseId: string, onDone: () => void) {
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  return (linkId: string, kind: 'message' | 'link') => {
    modal.confirm({
      title: kind === 'message' ? '将这条重复反映拆分为新的信访件？' : '确认本件与原件不是同一事项？',
      content:
        kind === 'message'
          ? '经核实该内容与本件不是同一事项的，将以同一信访人另立新件办理（新的编号和查询码，查询码以短信告知信访人），两件各记一条办理记录。此操作不能撤销。'
          : '确认后本件作为独立的信访件办理，不再提示可能重复。',
      okText: kind === 'message' ? '拆分为新件' : '确认拆分',
      cancelText: '取消',
      onOk: async () => {
        try {
          const r = await api.post<SplitResult>(`/api/office/cases/${caseId}/repeats/${linkId}/split`, {});
          onDone();
          if (r.newCaseId) {
            void message.success(
              <span>
                已另立新件 {r.newCaseNo}
                {r.smsQueued ? '，查询码已短信告知信访人' : ''}。{' '}
                <a onClick={() => void navigate(`/office/cases/${r.newCaseId}`)}>打开新件</a>
              </span>,
              8,
            );
          } else void message.success('已确认不是同一事项');
        } catch (e) {
          void message.error(errorMessage(e), 6);
        }
      },
    });
  };
}

/** The button beside a repeat message on the timeline. */
export function SplitMessageButton({ caseId, link, onDone }: { caseId: string; link: RepeatLink; onDone(): void }) {
  const split = useSplit(caseId, onDone);
  if (link.staffVerdict === 'split') return null;
  return (
    <Button size="small" icon={<ScissorOutlined />} onClick={() => split(link.id, 'message')} style={{ marginTop: 4 }}>
      拆分为新信访件
    </Button>
  );
}

/** The button in the "possible repeat" alert of a case filed as new. */
export function SplitLinkButton({ caseId, linkId, onDone }: { caseId: string; linkId: string; onDone(): void }) {
  const split = useSplit(caseId, onDone);
  return (
    <Button size="small" icon={<ScissorOutlined />} onClick={() => split(linkId, 'link')}>
      不是同一事项（拆分）
    </Button>
  );
}
