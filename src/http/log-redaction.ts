/**
 * What a request looks like in the log: the path with the query code (the key to a case) replaced,
 * and every query-string value replaced (searches carry names, phones, ID numbers). Bodies, cookies
 * and headers are never logged (the request serializer keeps only method and this URL).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/(api\/)?track\/[^/?]+/, '/$1track/***');
  if (q < 0) return path;
  const keys = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const k = kv.split('=', 1)[0]!;
      return /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/.test(k) ? `${k}=***` : '***';
    });
  return `${path}?${keys.join('&')}`;
}
