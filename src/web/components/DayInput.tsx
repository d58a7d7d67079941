// A calendar date typed as dd/mm/aaaa or picked. The value is 'YYYY-MM-DD', never a Date (no time-zone shift).
// What the person typed and could not be used is said next to the field, not silently wiped.
import { DateInput, DatesProvider, type DateInputProps } from '@mantine/dates';
import '@mantine/dates/styles.css';
import 'dayjs/locale/es';
import { useState, type FocusEvent } from 'react';

/** «5/3/2026», «05-03-26», «2026-03-05» → '2026-03-05'; null when it is not a real day. */
export function parseDmy(input: string): string | null {
  const s = input.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) {
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // Two-digit years: this century unless that lies more than a year ahead (then the last one).
    if (m[3].length === 2) y += 2000 + y > new Date().getFullYear() + 1 ? 1900 : 2000;
  } else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const dt = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(dt.getTime()) && dt.toISOString().slice(0, 10) === iso ? iso : null;
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

type Props = Omit<DateInputProps, 'value' | 'onChange' | 'onBlur' | 'maxDate' | 'minDate'> & {
  value: string | null;
  onChange: (v: string | null) => void;
  onBlur?: () => void;
  /** 'YYYY-MM-DD': later days cannot be picked, and a later one typed is explained. */
  maxDate?: string;
  minDate?: string;
};

export function DayInput({ value, onChange, onBlur, maxDate, minDate, error, ...rest }: Props) {
  const [typed, setTyped] = useState<string | null>(null);
  const check = (e: FocusEvent<HTMLInputElement>) => {
    // Runs before the input puts back the last valid value: this is still what the person typed.
    const s = e.currentTarget.value.trim();
    const iso = s ? parseDmy(s) : null;
    if (s && !iso) setTyped(`«${s}» no es una fecha válida: escríbala como día/mes/año, p. ej. 05/03/2026.`);
    else if (iso && maxDate && iso > maxDate) setTyped(`${dmy(iso)} es posterior a ${dmy(maxDate)}: la fecha no puede ser futura.`);
    else if (iso && minDate && iso < minDate) setTyped(`${dmy(iso)} es anterior a ${dmy(minDate)}, la primera fecha admitida.`);
    else setTyped(null);
    onBlur?.();
  };
  return (
    <DatesProvider settings={{ locale: 'es', firstDayOfWeek: 1 }}>
      <DateInput
        valueFormat="DD/MM/YYYY"
        placeholder="dd/mm/aaaa"
        clearable
        popoverProps={{ withinPortal: true }}
        {...rest}
        value={value}
        onChange={(x) => {
          setTyped(null);
          onChange(x ?? null);
        }}
        dateParser={parseDmy}
        maxDate={maxDate}
        minDate={minDate}
        onBlur={check}
        error={typed ?? error}
      />
    </DatesProvider>
  );
}
