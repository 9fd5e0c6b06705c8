/**
 * Native <select>s for the portal's choices: phones show their own large pickers (kinder to older
 * users than a popup list), screen readers know them, and they cost no JavaScript — the antd
 * Select and Cascader would add ~40 KB gzip to the submit page.
 */
import type { SelectHTMLAttributes } from 'react';
import type { RegionNode } from '../types';

export interface Option {
  value: string;
  label: string;
}

export interface NativeSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value?: string;
  onChange?: (value: string | undefined) => void;
  options: Option[];
  placeholder?: string;
}

export function NativeSelect({ value, onChange, options, placeholder, className, ...rest }: NativeSelectProps) {
  return (
    <select {...rest} className={`xf-select${className ? ` ${className}` : ''}`} value={value ?? ''} onChange={(e) => onChange?.(e.target.value || undefined)}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** The region cascade (GB/T 2260): province, then city, then county, each a native select. */
export function RegionPicker({ id, value, onChange, regions, disabled }: { id?: string; value?: string[]; onChange?: (v: string[]) => void; regions: RegionNode[]; disabled?: boolean }) {
  const [p, c, k] = value ?? [];
  const single = regions.length === 1 ? regions[0] : undefined;
  const province = single ?? regions.find((x) => x.code === p);
  const cities = province?.children ?? [];
  const city = cities.find((x) => x.code === c);
  const counties = city?.children ?? [];
  const opts = (nodes: RegionNode[]) => nodes.map((n) => ({ value: n.code, label: n.name }));
  const emit = (parts: (string | undefined)[]) => onChange?.(parts.filter((x): x is string => !!x));
  return (
    <div className="xf-region">
      {single ? (
        <span className="xf-region-fixed" aria-hidden="true">
          {single.name}
        </span>
      ) : (
        <NativeSelect aria-label="问题发生地：省" placeholder="省" options={opts(regions)} value={p} onChange={(v) => emit([v])} disabled={disabled} />
      )}
      <NativeSelect
        id={id}
        aria-label={`问题发生地：市${single ? `（${single.name}）` : ''}`}
        placeholder="请选择市"
        options={opts(cities)}
        value={c}
        onChange={(v) => emit([province?.code, v])}
        disabled={disabled || !province}
      />
      <NativeSelect
        aria-label="问题发生地：县（市、区）"
        placeholder="请选择县（市、区）"
        options={opts(counties)}
        value={k}
        onChange={(v) => emit([province?.code, c, v])}
        disabled={disabled || !city}
      />
    </div>
  );
}
