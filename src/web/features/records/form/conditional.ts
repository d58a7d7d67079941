// Conditional fields (spec: "required if …", and onlyIf "only if …"): when the user changes a field so that the
// condition that made another field apply stops holding, the form empties that field, says so, and offers to undo.
// The server never empties anything by itself (it stores what it is sent): a value outside its condition is
// accepted where the spec only says "required if" (e.g. «No aplica»), and refused at sending where the field is
// onlyIf. Files are kept (an attached document is never dropped silently). Only changes the user makes count:
// loading a record, restoring a draft or taking the other person's version after a conflict clears nothing.
import { useEffect, useRef } from 'react';
import { evalCond, isFilled, type Cond, type FieldDef, type ModuleDef, type Values } from '../../../../modules/types';
import { allFields } from '../../../../modules/validate';
import { toCondValues } from './rules';

/** The condition under which a field applies, if it has one. */
export function conditionOf(f: FieldDef): Cond | null {
  if (f.onlyIf) return f.onlyIf;
  if (typeof f.required === 'object') return f.required;
  return null;
}

/** Field keys a condition reads. */
export function condFields(c: Cond): string[] {
  if ('all' in c) return c.all.flatMap(condFields);
  if ('any' in c) return c.any.flatMap(condFields);
  if ('not' in c) return condFields(c.not);
  return [c.field];
}

export interface Cleared {
  key: string;
  label: string;
  value: unknown;
  otro?: unknown;
}

/**
 * Watches the form's values; when a condition goes from holding to not holding because of a field the user
 * changed (dirty), empties the fields that depend on it and reports them (for a notice with "undo").
 */
export function useClearOnConditionEnd(
  def: ModuleDef | undefined,
  values: Values,
  dirty: Record<string, unknown>,
  setValue: (key: string, v: unknown) => void,
  onCleared: (cleared: Cleared[]) => void,
): void {
  const prev = useRef<Map<string, boolean> | null>(null);
  useEffect(() => {
    if (!def) return;
    const v = toCondValues(values);
    const now = new Map<string, boolean>();
    const cleared: Cleared[] = [];
    for (const f of allFields(def)) {
      const c = conditionOf(f);
      if (!c) continue;
      const holds = evalCond(c, v);
      now.set(f.key, holds);
      const before = prev.current?.get(f.key);
      if (before === true && !holds && f.type !== 'archivo' && isFilled(values[f.key]) && condFields(c).some((k) => dirty[k])) {
        cleared.push({ key: f.key, label: f.label, value: values[f.key], ...(f.otro ? { otro: values[`${f.key}_otro`] } : {}) });
        setValue(f.key, f.type === 'catalogo_multiple' ? [] : null);
        if (f.otro) setValue(`${f.key}_otro`, null);
      }
    }
    prev.current = now;
    if (cleared.length) onCleared(cleared);
    // setValue and onCleared are stable callbacks of the form; dirty is read as of these values.
  }, [def, values]);
}
