// Import templates generated from the module definition: an XLSX with a "Datos" sheet (one column per
// field, Spanish header plus key, dropdowns for catalogs), an "Instrucciones" sheet and one sheet per
// catalog with codes and labels; and a CSV whose header row is the field keys.
import ExcelJS from 'exceljs';
import type { FieldDef, FieldType, ModuleDef } from '../../modules/types.js';
import { fieldCatalog } from '../../modules/types.js';
import { defaultMaxLength, describeCond } from '../../modules/validate.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import type { Ctx } from '../context.js';
import { CODE_LABEL_SEP } from './catalog-index.js';
import { columnLetter } from './cells.js';
import { importColumns, templateHeader, type SheetColumn } from './columns.js';
import { MAX_ROWS } from './service.js';

/** Rows of the "Datos" sheet that carry dropdowns (more rows are accepted; they just have no list). */
export const TEMPLATE_ROWS = 5000;

const GUINDA = 'FF691C32';
const GRIS = 'FF5F6B6D';
const ARENA = 'FFF3EDE4';

function range(f: FieldDef): string {
  const parts: string[] = [];
  const min = f.min ?? 0;
  parts.push(`mínimo ${min}`);
  if (f.max !== undefined) parts.push(`máximo ${f.max}`);
  if (f.step) parts.push(`en múltiplos de ${f.step}`);
  return parts.join(', ');
}

/** How to write a value of each type: exhaustive, so a new field type does not compile until described. */
const FORMAT: { [T in FieldType]: (f: FieldDef) => string } = {
  texto: (f) => `Texto de hasta ${defaultMaxLength(f)} caracteres${f.minLength ? ` (al menos ${f.minLength})` : ''}.`,
  texto_largo: (f) => `Texto de hasta ${defaultMaxLength(f)} caracteres${f.minLength ? ` (al menos ${f.minLength})` : ''}.`,
  entero: (f) => `Número entero (${range(f)}). Sin separador de miles o con él: 1234 o 1,234.`,
  decimal: (f) => `Número con hasta dos decimales (${range(f)}); punto o coma decimal: 12.5 o 12,5.`,
  fecha: () => 'Fecha dd/mm/aaaa (por ejemplo 31/12/2024) o aaaa-mm-dd.',
  booleano: () => 'Sí o No.',
  catalogo: (f) => (f.catalog && f.catalog.endsWith('_ref') ? 'Folio SINTRA del registro vinculado (por ejemplo OPE-2025-000012).' : 'Una opción de la lista: clave o etiqueta.'),
  catalogo_multiple: (f) =>
    f.catalog && f.catalog.endsWith('_ref') ? 'Folios SINTRA separados por «;».' : 'Una o varias opciones (clave o etiqueta) separadas por «;» o «|».',
  entidad: () => 'Clave INEGI de 2 dígitos (09) o nombre de la entidad.',
  municipio: () => 'Clave INEGI de 5 dígitos (09015) o nombre del municipio de la entidad elegida.',
  pais: () => 'Clave ISO de 3 letras (MEX) o nombre del país.',
  archivo: () => 'Se adjunta desde el formulario del registro.',
  url: () => 'Dirección que empieza con https://.',
};

function requiredText(ctx: Ctx, m: ModuleDef, f: FieldDef): string {
  if (f.required === true) return 'Sí, para enviar';
  if (f.required === false) return 'No';
  return `Cuando ${describeCond(f.required, [...METADATA_FIELDS, ...m.fields], ctx.catalogs)}`;
}

function exampleText(m: ModuleDef, c: SheetColumn): string {
  const v = m.example[c.key];
  if (v === null || v === undefined || (Array.isArray(v) && !v.length)) return '';
  const cat = fieldCatalog(c.field);
  if (cat?.endsWith('_ref')) return '(folio del registro)';
  if (typeof v === 'boolean') return v ? 'Sí' : 'No';
  if (typeof v === 'string' && c.field.type === 'fecha') return `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}`;
  if (Array.isArray(v)) return v.join('; ');
  return String(v);
}

/** Sheet names: at most 31 characters, unique, without []:*?/\ . */
function sheetNameFor(catalog: string, used: Set<string>): string {
  const base = `Cat_${catalog}`.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 28)}_${i}`;
  used.add(name.toLowerCase());
  return name;
}

export async function templateXlsx(ctx: Ctx, m: ModuleDef): Promise<Buffer> {
  const cols = importColumns(m);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'SINTRA';
  wb.created = new Date();
  const datos = wb.addWorksheet('Datos', { views: [{ state: 'frozen', ySplit: 1 }] });
  const instr = wb.addWorksheet('Instrucciones');

  // Catalog sheets, one per catalog the module uses (record references have no fixed list).
  const used = new Set(['datos', 'instrucciones']);
  const catSheets = new Map<string, { name: string; rows: number }>();
  for (const c of cols) {
    const cat = c.otro ? undefined : fieldCatalog(c.field);
    if (!cat || catSheets.has(cat) || ctx.catalogs.isReference(cat)) continue;
    const loaded = ctx.catalogs.get(cat);
    if (!loaded) continue;
    const name = sheetNameFor(cat, used);
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const withParent = loaded.items.some((i) => i.parent);
    ws.columns = [
      { header: 'Clave', key: 'code', width: 14, style: { numFmt: '@' } },
      { header: 'Etiqueta', key: 'label', width: 60 },
      { header: 'Valor de la lista (clave — etiqueta)', key: 'both', width: 70 },
      { header: withParent ? 'Entidad' : 'Grupo', key: 'extra', width: 16 },
      { header: 'Vigencia', key: 'valid', width: 26 },
    ];
    ws.getRow(1).font = { bold: true };
    // Municipio names repeat across states: the list shows the state too.
    const parentLabel = (code: string | undefined) => (code && cat === 'municipio' ? ` (${ctx.catalogs.label('entidad', code)})` : '');
    for (const it of loaded.items) {
      const valid = it.validFrom || it.validTo ? `${it.validFrom ? `desde ${it.validFrom}` : ''}${it.validTo ? ` hasta ${it.validTo}` : ''}`.trim() : '';
      ws.addRow({ code: it.code, label: it.label, both: `${it.code}${CODE_LABEL_SEP}${it.label}${parentLabel(it.parent)}`, extra: it.parent ?? it.group ?? '', valid });
    }
    catSheets.set(cat, { name, rows: loaded.items.length });
  }

  // "Datos": one column per field; text format for codes so Excel keeps leading zeros.
  datos.columns = cols.map((c) => ({
    header: templateHeader(c),
    key: c.key,
    width: Math.min(45, Math.max(16, c.label.length * 0.9)),
    style: { numFmt: c.otro ? '@' : numFmtFor(c.field.type) },
  }));
  const head = datos.getRow(1);
  head.height = 48;
  cols.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    const req = c.field.required === true && !c.otro;
    const cond = typeof c.field.required === 'object' && !c.otro;
    cell.font = { bold: true, color: { argb: req || cond ? 'FFFFFFFF' : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: req ? GUINDA : cond ? GRIS : ARENA } };
    cell.alignment = { wrapText: true, vertical: 'top' };
    cell.numFmt = '@';
    const help = [c.otro ? `Texto de hasta 120 caracteres, solo cuando ${`«${c.field.label}»`} es «Otro».` : FORMAT[c.field.type](c.field)];
    if (!c.otro) help.push(`Obligatorio: ${requiredText(ctx, m, c.field)}.`);
    if (c.field.help) help.push(c.field.help);
    cell.note = help.join('\n');
  });
  const last = TEMPLATE_ROWS + 1;
  // exceljs supports range validations at runtime; its typings only declare them per cell.
  const validations = (datos as unknown as { dataValidations: { add(ref: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  cols.forEach((c, i) => {
    const ref = `${columnLetter(i)}2:${columnLetter(i)}${last}`;
    const cat = c.otro ? undefined : fieldCatalog(c.field);
    const sheet = cat ? catSheets.get(cat) : undefined;
    if (sheet) {
      const multi = c.field.type === 'catalogo_multiple';
      validations.add(ref, {
        type: 'list',
        allowBlank: true,
        formulae: [`'${sheet.name}'!$C$2:$C$${sheet.rows + 1}`],
        showErrorMessage: true,
        // Not "stop": a typed code or label, or several values separated by ";", are valid too.
        errorStyle: multi ? 'information' : 'warning',
        errorTitle: c.field.label,
        error: multi ? 'Varias opciones: sepárelas con «;». Se revisan al importar.' : 'Elija de la lista, o escriba la clave o la etiqueta; se revisa al importar.',
        showInputMessage: true,
        promptTitle: c.field.label.slice(0, 32),
        prompt: (multi ? 'Una o varias opciones separadas por «;».' : 'Elija una opción de la lista.').slice(0, 255),
      });
    } else if (c.field.type === 'booleano' && !c.otro) {
      validations.add(ref, { type: 'list', allowBlank: true, formulae: ['"Sí,No"'], showErrorMessage: true, errorStyle: 'warning', error: 'Escriba Sí o No.' });
    }
  });

  // "Instrucciones": how to fill the file, and every column with its rules.
  instr.columns = [
    { header: 'Columna de «Datos»', key: 'col', width: 8 },
    { header: 'Campo', key: 'label', width: 40 },
    { header: 'Clave', key: 'key', width: 28 },
    { header: 'Cómo se escribe', key: 'format', width: 60 },
    { header: 'Obligatorio', key: 'req', width: 36 },
    { header: 'Catálogo (hoja)', key: 'cat', width: 26 },
    { header: 'Ayuda', key: 'help', width: 70 },
    { header: 'Ejemplo', key: 'example', width: 30 },
  ];
  const lines = [
    `Plantilla de importación — ${m.name} (módulo ${m.number}). ${m.description}`,
    'Capture un registro por fila en la hoja «Datos», a partir de la fila 2. No cambie la fila 1: los encabezados pueden ser la clave o el nombre del campo.',
    'Fechas: dd/mm/aaaa (31/12/2024), aaaa-mm-dd o celdas con formato de fecha de Excel. Números: con punto o coma decimal (12.5 o 12,5); un separador de miles se acepta (1,234).',
    'Catálogos: escriba la clave o la etiqueta (sin importar mayúsculas ni acentos), o elija de la lista. Las claves con ceros a la izquierda se conservan: la entidad 9 se lee como 09.',
    'Varias opciones en un campo de selección múltiple: sepárelas con «;» o «|».',
    'La importación es completa o no se hace: si una fila tiene un error, no se guarda ninguna y se devuelve la lista de errores (fila, columna y motivo), y puede descargar el archivo con las celdas marcadas.',
    'Los registros se guardan como borradores (o enviados, si así lo pide al importar, y entonces cada fila debe cumplir todas las reglas de envío). Los archivos adjuntos se agregan después desde el formulario de cada registro.',
    `Hasta ${MAX_ROWS.toLocaleString('es-MX')} filas por archivo. También puede importar un CSV (UTF-8 o Windows-1252, separado por comas o punto y coma) con estos mismos encabezados.`,
    'Encabezados: guinda = obligatorio para enviar; gris = obligatorio según otros campos; arena = opcional.',
  ];
  instr.spliceRows(1, 0, ...lines.map((l) => [l]), []);
  for (let i = 1; i <= lines.length; i++) instr.getRow(i).font = i === 1 ? { bold: true, size: 13 } : {};
  const headerRow = instr.getRow(lines.length + 2);
  headerRow.font = { bold: true };
  cols.forEach((c, i) => {
    const cat = c.otro ? undefined : fieldCatalog(c.field);
    instr.addRow({
      col: columnLetter(i),
      label: c.label,
      key: c.key,
      format: c.otro ? 'Texto de hasta 120 caracteres.' : FORMAT[c.field.type](c.field),
      req: c.otro ? 'Cuando se elige «Otro»' : requiredText(ctx, m, c.field),
      cat: cat ? catSheets.get(cat)?.name ?? '' : '',
      help: c.field.help && !c.otro ? c.field.help : '',
      example: exampleText(m, c),
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function numFmtFor(t: FieldType): string {
  switch (t) {
    case 'fecha':
      return 'dd/mm/yyyy';
    case 'entero':
      return '0';
    case 'decimal':
      return '0.00';
    case 'booleano':
      return 'General';
    default:
      return '@';
  }
}

/** CSV template: UTF-8 with BOM, one header row of field keys. */
export function templateCsv(m: ModuleDef): Buffer {
  return Buffer.from(`\uFEFF${importColumns(m).map((c) => c.key).join(',')}\r\n`, 'utf8');
}
