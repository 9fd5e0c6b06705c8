/** Tags for supervision and inspection states. */
import { Tag } from 'antd';
import type { Correction, Supervision } from './types';

const supColors: Record<Supervision['status'], string> = { open: 'processing', answered: 'gold', closed: 'success', escalated: 'magenta' };

export function SupervisionStatus({ s }: { s: Pick<Supervision, 'status' | 'statusLabel' | 'overdue'> }) {
  return (
    <>
      <Tag color={supColors[s.status]}>{s.statusLabel}</Tag>
      {s.overdue && <Tag color="red">已逾期</Tag>}
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
