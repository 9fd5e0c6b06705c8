/** Shapes of the account administration answers (GET /api/admin/users, GET /api/security/log). */
export interface StaffAccount {
  id: string;
  username: string | null;
  name: string;
  unitId: string | null;
  unitName: string | null;
  roles: string[];
  disabled: boolean;
  locked: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

export interface LogParty {
  id: string;
  kind: string;
  username: string | null;
  name: string | null;
  unitName: string | null;
}

export interface SecurityLogItem {
  id: number;
  at: string;
  kind: string;
  kindLabel: string;
  actor: LogParty | null;
  subject: LogParty | null;
  ip: string | null;
  detail: string | null;
}

export interface SecurityLogPage {
  items: SecurityLogItem[];
  nextBefore: number | null;
  kinds: Record<string, string>;
}

/** "姓名（用户名）" for staff, the masked name for a citizen. */
export function partyLabel(p: LogParty | null): string {
  if (!p) return '—';
  if (p.kind === 'staff') return `${p.name ?? ''}（${p.username ?? ''}）`;
  if (p.kind === 'citizen') return `信访人 ${p.name ?? ''}`;
  return p.id.slice(0, 8);
}

export const fmtTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });
