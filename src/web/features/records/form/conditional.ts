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

/** Whether each conditional field's condition holds on these values. */
export function conditionStates(def: ModuleDef, values: Values): Map<string, boolean> {
  const v = toCondValues(values);
  const out = new Map<string, boolean>();
  for (const f of allFields(def)) {
    const c = conditionOf(f);
    if (c) out.set(f.key, evalCond(c, v));
  }
  return out;
}

/**
 * The fields to empty: filled, not files, whose condition held before and no longer does because of a field the
 * user changed (dirty). Nothing on the first values seen (a loaded record or a restored draft).
 */
export function fieldsToClear(def: ModuleDef, prev: Map<string, boolean> | null, now: Map<string, boolean>, values: Values, dirty: Record<string, unknown>): FieldDef[] {
  if (!prev) return [];
  return allFields(def).filter((f) => {
    const c = conditionOf(f);
    return c !== null && prev.get(f.key) === true && now.get(f.key) === false && f.type !== 'archivo' && isFilled(values[f.key]) && condFields(c).some((k) => Boolean(dirty[k]));
  });
}

/**
 * Watches the form's values; when a condition goes from holding to not holding because of a field the user
 * changed, empties the fields that depend on it and reports them (for a notice with "undo").
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
    const now = conditionStates(def, values);
    const cleared: Cleared[] = fieldsToClear(def, prev.current, now, values, dirty).map((f) => ({
      key: f.key,
      label: f.label,
      value: values[f.key],
      ...(f.otro ? { otro: values[`${f.key}_otro`] } : {}),
    }));
    for (const f of cleared) {
      setValue(f.key, Array.isArray(f.value) ? [] : null);
      if ('otro' in f) setValue(`${f.key}_otro`, null);
    }
    prev.current = now;
    if (cleared.length) onCleared(cleared);
    // setValue and onCleared are the form's callbacks; dirty is read as of these values.
  }, [def, values]);
}
