// One input per field type, exhaustive over FieldType: a new type does not compile until it has one.
import { Button, Group, MultiSelect, NumberInput, Radio, Select, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useCatalog } from '../../../api/catalogs';
import { DayInput } from '../../../components/DayInput';
import type { CatalogItem, FieldOut, FieldType } from '../../../api/types';
import { FileField } from './FileField';
import { todayMx } from './rules';

export interface InputProps {
  moduleKey: string;
  f: FieldOut;
  id: string;
  label: ReactNode;
  description: ReactNode;
  required: boolean;
  error: ReactNode;
  value: unknown;
  onChange: (v: unknown) => void;
  onBlur: () => void;
  /** The value of this field's state field (municipio fields). */
  stateValue?: unknown;
  readOnly?: boolean;
}

type InputComponent = (p: InputProps) => ReactNode;

const common = (p: InputProps) => ({
  id: p.id,
  label: p.label,
  description: p.description,
  required: p.required,
  error: p.error,
  onBlur: p.onBlur,
  readOnly: p.readOnly,
});

function TextField(p: InputProps) {
  const max = p.f.maxLength;
  return (
    <TextInput
      {...common(p)}
      type={p.f.type === 'url' ? 'url' : 'text'}
      inputMode={p.f.type === 'url' ? 'url' : undefined}
      placeholder={p.f.type === 'url' ? 'https://' : undefined}
      maxLength={max ? max + 50 : undefined}
      value={typeof p.value === 'string' ? p.value : ''}
      onChange={(e) => p.onChange(e.currentTarget.value)}
    />
  );
}

function LongTextField(p: InputProps) {
  const text = typeof p.value === 'string' ? p.value : '';
  const max = p.f.maxLength ?? 2000;
  const over = text.length > max;
  const short = p.f.minLength !== undefined && text.length > 0 && text.trim().length < p.f.minLength;
  return (
    <Textarea
      {...common(p)}
      autosize
      minRows={3}
      maxRows={12}
      value={text}
      onChange={(e) => p.onChange(e.currentTarget.value)}
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      description={
        <Group justify="space-between" gap="xs" wrap="nowrap" component="span">
          <span>{p.description}</span>
          <Text span size="xs" c={over ? 'red.8' : short ? 'orange.9' : 'dimmed'} style={{ whiteSpace: 'nowrap' }} aria-live="polite">
            {text.length.toLocaleString('es-MX')} / {max.toLocaleString('es-MX')}
            {p.f.minLength ? ` (mín. ${p.f.minLength})` : ''}
          </Text>
        </Group>
      }
    />
  );
}

function NumberField(p: InputProps) {
  const isInt = p.f.type === 'entero';
  const v = p.value;
  return (
    <NumberInput
      {...common(p)}
      value={typeof v === 'number' || typeof v === 'string' ? v : ''}
      onChange={(x) => p.onChange(x === '' ? null : x)}
      // Whatever is typed stays as typed (3.5, -2) and the field's rule says what is wrong: stripping the
      // point or the sign would turn 3.5 into 35 without a word.
      allowDecimal
      allowNegative
      clampBehavior="none"
      step={p.f.step ?? 1}
      min={p.f.min ?? 0}
      max={p.f.max}
      thousandSeparator={false}
      styles={{ wrapper: { maxWidth: 260 } }}
      inputMode={isInt ? 'numeric' : 'decimal'}
    />
  );
}

function DateField(p: InputProps) {
  const v = typeof p.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.value) ? p.value : null;
  return (
    <DayInput
      {...common(p)}
      value={v}
      onChange={(x) => p.onChange(x)}
      maxDate={p.f.notAfterToday ? todayMx() : undefined}
      allowDeselect
      styles={{ wrapper: { maxWidth: 260 } }}
    />
  );
}

function BooleanField(p: InputProps) {
  const v = p.value === true ? 'si' : p.value === false ? 'no' : '';
  return (
    <div>
      <Radio.Group {...common(p)} value={v} onChange={(x) => p.onChange(x === 'si' ? true : x === 'no' ? false : null)}>
        <Group gap="lg" mt={6}>
          <Radio value="si" label="Sí" />
          <Radio value="no" label="No" />
          {v !== '' && !p.required && !p.readOnly && (
            <Button variant="subtle" size="compact-sm" onClick={() => p.onChange(null)}>
              Quitar respuesta
            </Button>
          )}
        </Group>
      </Radio.Group>
    </div>
  );
}

interface Option {
  value: string;
  label: string;
}
type Data = Option[] | { group: string; items: Option[] }[];

/** Options a field accepts today: no special codes it does not allow, no denied codes, no expired ones (except the current value). */
function useOptions(f: FieldOut, items: CatalogItem[] | undefined, current: string[]): Data {
  return useMemo(() => {
    if (!items) return [];
    const today = todayMx();
    const allow = new Set(f.allowCodes ?? []);
    const deny = new Set(f.denyCodes ?? []);
    const ok = items.filter((it) => {
      if (current.includes(it.code)) return true;
      if (deny.has(it.code)) return false;
      if (it.special === true && !allow.has(it.code) && !(f.type === 'municipio' && [...allow].some((a) => it.code.endsWith(a)))) return false;
      if ((it.validFrom && today < it.validFrom) || (it.validTo && today > it.validTo)) return false;
      return true;
    });
    const opt = (it: CatalogItem): Option => ({ value: it.code, label: it.exclusive || f.exclusive?.includes(it.code) ? `${it.label} (excluyente)` : it.label });
    // Groups that read as words (e.g. «Niñas, niños y adolescentes») are shown as headings; internal keys are not.
    const groups = [...new Set(ok.map((i) => i.group).filter((g): g is string => typeof g === 'string'))];
    if (groups.length > 1 && groups.every((g) => /[a-záéíóúñ ]/.test(g))) {
      return groups.map((g) => ({ group: g, items: ok.filter((i) => i.group === g).map(opt) })).concat(
        ok.some((i) => !i.group) ? [{ group: 'Otros', items: ok.filter((i) => !i.group).map(opt) }] : [],
      );
    }
    return ok.map(opt);
  }, [items, f, current]);
}

function CatalogSelect(p: InputProps & { catalog: string | null; entidad?: string | null; disabledHint?: string }) {
  const cat = useCatalog(p.catalog, p.entidad, p.disabledHint === undefined);
  const current = typeof p.value === 'string' ? [p.value] : [];
  const data = useOptions(p.f, cat.data, current);
  return (
    <Select
      {...common(p)}
      data={data}
      value={typeof p.value === 'string' ? p.value : null}
      onChange={(x) => p.onChange(x)}
      searchable
      // Choosing the option already chosen keeps it (Mantine would clear it); the clear button clears.
      allowDeselect={false}
      clearable={!p.readOnly}
      limit={300}
      placeholder={p.disabledHint ?? (cat.isPending ? 'Cargando opciones…' : 'Escriba para buscar o elija')}
      disabled={p.disabledHint !== undefined}
      nothingFoundMessage={cat.error ? 'No se pudo cargar el catálogo' : 'Sin coincidencias'}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function CatalogField(p: InputProps) {
  return <CatalogSelect {...p} catalog={p.f.catalog} />;
}

function EntidadField(p: InputProps) {
  return <CatalogSelect {...p} catalog={p.f.catalog ?? 'entidad'} />;
}

function PaisField(p: InputProps) {
  return <CatalogSelect {...p} catalog={p.f.catalog ?? 'pais'} />;
}

/** Municipalities of the chosen state only; cleared when the state changes. */
function MunicipioField(p: InputProps) {
  const st = typeof p.stateValue === 'string' && /^\d{2}$/.test(p.stateValue) ? p.stateValue : null;
  const prev = useRef(st);
  const { onChange, value } = p;
  useEffect(() => {
    if (prev.current !== st) {
      prev.current = st;
      if (value !== null && value !== undefined && value !== '' && !(typeof value === 'string' && st && value.startsWith(st))) onChange(null);
    }
  }, [st, value, onChange]);
  return <CatalogSelect {...p} catalog="municipio" entidad={st} disabledHint={st ? undefined : 'Elija primero la entidad federativa'} />;
}

function MultiCatalogField(p: InputProps) {
  const cat = useCatalog(p.f.catalog);
  const current = Array.isArray(p.value) ? (p.value as string[]) : [];
  const data = useOptions(p.f, cat.data, current);
  const exclusive = useMemo(() => {
    const s = new Set(p.f.exclusive ?? []);
    for (const it of cat.data ?? []) if (it.exclusive) s.add(it.code);
    return s;
  }, [p.f.exclusive, cat.data]);
  const onChange = (next: string[]) => {
    // An exclusive code («Ninguno», «No especificado»…) stands alone: choosing it drops the others, and vice versa.
    const added = next.filter((c) => !current.includes(c));
    if (added.some((c) => exclusive.has(c))) p.onChange(added.filter((c) => exclusive.has(c)).slice(-1));
    else if (added.length) p.onChange(next.filter((c) => !exclusive.has(c)));
    else p.onChange(next);
  };
  return (
    <MultiSelect
      {...common(p)}
      data={data}
      value={current}
      onChange={onChange}
      searchable
      clearable={!p.readOnly}
      hidePickedOptions={false}
      limit={300}
      placeholder={cat.isPending ? 'Cargando opciones…' : current.length ? undefined : 'Escriba para buscar o elija una o más'}
      nothingFoundMessage={cat.error ? 'No se pudo cargar el catálogo' : 'Sin coincidencias'}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function ArchivoField(p: InputProps) {
  return <FileField {...p} />;
}

export const INPUTS: { [T in FieldType]: InputComponent } = {
  texto: TextField,
  url: TextField,
  texto_largo: LongTextField,
  entero: NumberField,
  decimal: NumberField,
  fecha: DateField,
  booleano: BooleanField,
  catalogo: CatalogField,
  catalogo_multiple: MultiCatalogField,
  entidad: EntidadField,
  municipio: MunicipioField,
  pais: PaisField,
  archivo: ArchivoField,
};
