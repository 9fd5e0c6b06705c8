/** The one HTTP client of the SPA: JSON in and out, errors as ApiError with Chinese messages. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

type Body = Record<string, unknown> | unknown[] | undefined;

async function request<T>(method: string, url: string, body?: Body | FormData, extra: Record<string, string> = {}): Promise<T> {
  // The server refuses cookie-authenticated writes without this header (CSRF defence).
  const headers = method === 'GET' ? extra : { 'x-requested-with': 'xinfang', ...extra };
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body instanceof FormData ? headers : body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试（已填写的内容不会丢失）');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `请求失败（${res.status}）`, e?.fields ?? {});
  }
  return data as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: Body, headers?: Record<string, string>) => request<T>('POST', url, body ?? {}, headers),
  upload: <T>(url: string, form: FormData) => request<T>('POST', url, form),
  put: <T>(url: string, body?: Body) => request<T>('PUT', url, body ?? {}),
};

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : '操作失败，请稍后重试';
}
