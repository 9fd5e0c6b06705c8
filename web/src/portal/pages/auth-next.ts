/** Where to go after logging in: only a path inside this site (never '//evil.example'). */
export function safeNext(raw: string | null, fallback = '/my'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  return raw;
}
