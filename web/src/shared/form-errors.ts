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
