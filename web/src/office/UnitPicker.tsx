/** A unit picker over the unit tree of the caller's jurisdiction, loaded level by level (GET /api/office/units?parent=). */
import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { api } from '../shared/api';
import type { UnitNode } from './types';

interface SimpleNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
}

/** One unit, or with `multiple` several (e.g. the accused units of a denunciation). */
type Choice =
  | { multiple?: false; value?: string | undefined; onChange?: (v: string | undefined) => void }
  | { multiple: true; value?: string[] | undefined; onChange?: (v: string[]) => void };

type Props = Choice & {
  /** Only units a case can be assigned to (departments and bureaus) can be picked. */
  assignableOnly?: boolean;
  placeholder?: string;
  id?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'aria-label'?: string;
};

export function UnitPicker({ value, onChange, multiple, assignableOnly, placeholder, id, allowClear, style, ...rest }: Props) {
  const [nodes, setNodes] = useState<SimpleNode[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const toNode = (u: UnitNode, pId: string | null): SimpleNode => ({
    id: u.id,
    pId,
    value: u.id,
    title: u.name,
    isLeaf: !u.hasChildren,
    selectable: assignableOnly ? u.assignable : true,
  });

  useEffect(() => {
    let live = true;
    api
      .get<{ root: UnitNode; children: UnitNode[] }>('/api/office/units')
      .then((r) => {
        if (!live) return;
        setNodes([toNode(r.root, null), ...r.children.map((c) => toNode(c, r.root.id))]);
        setExpanded([r.root.id]);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const loadData = async (node: { value?: unknown }) => {
    const parent = String(node.value);
    const r = await api.get<{ root: UnitNode; children: UnitNode[] }>(`/api/office/units?parent=${encodeURIComponent(parent)}`);
    setNodes((prev) => {
      const have = new Set(prev.map((n) => n.id));
      return [...prev, ...r.children.filter((c) => !have.has(c.id)).map((c) => toNode(c, parent))];
    });
  };

  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      style={{ width: '100%', ...style }}
      value={value}
      onChange={(v: string | string[] | undefined) => (onChange as ((x: typeof v) => void) | undefined)?.(v)}
      multiple={multiple}
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData}
      treeExpandedKeys={expanded}
      onTreeExpand={(keys) => setExpanded(keys.map(String))}
      showSearch
      treeNodeFilterProp="title"
      allowClear={allowClear}
      placeholder={placeholder ?? '请选择单位'}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 320 } } }}
    />
  );
}
