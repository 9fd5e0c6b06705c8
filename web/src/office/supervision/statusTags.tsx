/** Tags for supervision and inspection states. */
import { Tag } from 'antd';
import type { Correction, Supervision } from './types';

const supColors: Record<Supervision['status'], string> = { open: 'processing', answered: 'gold', closed: 'success', escalated: 'magenta' };

export function SupervisionStatus({ s }: { s: Pick<Supervision, 'status' | 'statusLabel' | 'overdue'> & Partial<Pick<Supervision, 'returnCount' | 'reminders'>> }) {
  return (
    <>
      <Tag color={supColors[s.status]}>{s.statusLabel}</Tag>
      {s.overdue && <Tag color="red">已逾期</Tag>}
      {!!s.reminders && s.status === 'open' && <Tag color="red">已催报 {s.reminders} 次</Tag>}
      {!!s.returnCount && <Tag color="orange">退回重办 {s.returnCount} 次</Tag>}
    </>
  );
}

const corrColors: Record<Correction['status'], string> = { open: 'processing', reported: 'gold', accepted: 'success', reopened: 'volcano' };

export function CorrectionStatus({ c }: { c: Pick<Correction, 'status' | 'statusLabel' | 'overdue'> }) {
  return (
    <>
      <Tag color={corrColors[c.status]}>{c.statusLabel}</Tag>
      {c.overdue && <Tag color="red">已逾期</Tag>}
    </>
  );
}
