/** Puts the server's field errors (ApiError.fields) next to the fields of an antd form. */
import type { FormInstance } from 'antd';
import { ApiError } from './api';

/** Turns 'coPetitioners.0.name' into ['coPetitioners', 0, 'name']. */
export function fieldPath(key: string): (string | number)[] {
  return key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Shows each server field error under its field (renamed through `alias` when the form's field
 * is called differently) and returns how many fields were marked; 0 means "show the message instead".
 */
export function applyFieldErrors(form: FormInstance, e: unknown, alias: Record<string, string> = {}, known?: (path: (string | number)[]) => boolean): number {
  if (!(e instanceof ApiError)) return 0;
  const entries = Object.entries(e.fields)
    .map(([k, msg]) => ({ name: fieldPath(alias[k] ?? k), errors: [msg] }))
    .filter((f) => (known ? known(f.name) : true));
  if (entries.length > 0) form.setFields(entries);
  return entries.length;
}

/**
 * form.validateFields(), except that a validation antd reports "out of date" (a value changed while
 * it ran: a fast typist, an autofill, a test driving the browser) and no field in error is run again
 * instead of failing the submission silently. Real field errors reject as before.
 */
export async function validateForm<T>(form: FormInstance<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await form.validateFields();
    } catch (e) {
      const info = e as { outOfDate?: boolean; errorFields?: unknown[] };
      if (!info.outOfDate || (info.errorFields?.length ?? 0) > 0 || attempt >= 5) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
