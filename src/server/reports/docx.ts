// The report model as a Word document (docx package).
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { autoWidths, fechaLarga, type Block, type ReportModel } from './content.js';

const GUINDA = '691C32';
const USABLE_PX = 620; // Letter with 1-inch margins, at 96 dpi

function cellParagraphs(text: string, opts: { bold?: boolean; size: number; color?: string; align?: (typeof AlignmentType)[keyof typeof AlignmentType] }) {
  return text.split('\n').map(
    (line) => new Paragraph({ alignment: opts.align, spacing: { before: 0, after: 0 }, children: [new TextRun({ text: line, bold: opts.bold, size: opts.size, color: opts.color })] }),
  );
}

function table(b: Extract<Block, { kind: 'table' }>): (Paragraph | Table)[] {
  const n = b.head.length;
  const size = n > 7 ? 14 : 16;
  // 6.5 inches of text width (468 pt); Arial averages about half an em per character.
  const widths = b.widths ?? autoWidths(b.head, b.rows, Math.floor(468 / ((size / 2) * 0.52)));
  const border = { style: BorderStyle.SINGLE, size: 2, color: 'BFBFBF' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const numeric = (v: string | number) => typeof v === 'number' || /^[<\d][\d,. %<]*$/.test(String(v));
  const rows = [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: b.head.map(
        (h, i) =>
          new TableCell({
            width: { size: widths[i] ?? 10, type: WidthType.PERCENTAGE },
            shading: { type: ShadingType.CLEAR, fill: GUINDA, color: 'auto' },
            borders,
            children: cellParagraphs(h, { bold: true, size, color: 'FFFFFF' }),
          }),
      ),
    }),
    ...b.rows.map(
      (r, k) =>
        new TableRow({
          cantSplit: true,
          children: r.map(
            (v, i) =>
              new TableCell({
                width: { size: widths[i] ?? 10, type: WidthType.PERCENTAGE },
                borders,
                shading: k === b.rows.length - 1 && String(r[0]) === 'Total' ? { type: ShadingType.CLEAR, fill: 'EDE3E5', color: 'auto' } : undefined,
                children: cellParagraphs(String(v), { size, bold: String(r[0]) === 'Total' && k === b.rows.length - 1, align: i > 0 && numeric(v) ? AlignmentType.RIGHT : AlignmentType.LEFT }),
              }),
          ),
        }),
    ),
  ];
  const out: (Paragraph | Table)[] = [];
  if (b.figure.titulo)
    out.push(new Paragraph({ keepNext: true, spacing: { before: 200, after: 80 }, children: [new TextRun({ text: `${b.figure.id}. `, bold: true, color: GUINDA }), new TextRun({ text: b.figure.titulo, bold: true })] }));
  out.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }));
  for (const note of b.notes) out.push(new Paragraph({ spacing: { before: 20, after: 0 }, children: [new TextRun({ text: note, size: 14, italics: true, color: '555555' })] }));
  return out;
}

function block(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: b.level === 1 ? HeadingLevel.HEADING_1 : b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, keepNext: true, children: [new TextRun({ text: b.text })] })];
    case 'paragraph':
      return [new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: b.text, size: b.small ? 16 : 20 })] })];
    case 'bullets':
      return b.items.map((t) => new Paragraph({ bullet: { level: 0 }, spacing: { after: 60 }, children: [new TextRun({ text: t, size: 20 })] }));
    case 'pagebreak':
      return [new Paragraph({ children: [new PageBreak()] })];
    case 'table':
      return table(b);
    case 'chart': {
      const w = Math.min(USABLE_PX, b.width);
      const h = Math.round((b.height * w) / b.width);
      return [
        new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 160 }, children: [new ImageRun({ type: 'png', data: b.png, transformation: { width: w, height: h }, altText: { name: b.figure.id, title: b.figure.titulo, description: b.figure.titulo } })] }),
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 160 }, children: [new TextRun({ text: `${b.figure.id}. `, bold: true, color: GUINDA, size: 18 }), new TextRun({ text: b.figure.titulo, size: 18 })] }),
      ];
    }
  }
}

export async function toDocx(model: ReportModel): Promise<Buffer> {
  const s = model.snapshot;
  const cover = [
    new Paragraph({ spacing: { before: 2400 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: 'Comisión Intersecretarial para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas', size: 24, color: '444444' })] }),
    new Paragraph({ spacing: { before: 600 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: model.titulo, bold: true, size: 56, color: GUINDA })] }),
    new Paragraph({ spacing: { before: 200 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: 'Sistema Nacional de Información en materia de Trata de Personas (SINTRA)', size: 28 })] }),
    new Paragraph({ spacing: { before: 1200 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: `Periodo: ${fechaLarga(s.periodo_desde)} al ${fechaLarga(s.periodo_hasta)}`, size: 24 })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `Fecha de corte: ${fechaLarga(s.fecha_corte)}`, size: 24 })] }),
    new Paragraph({ spacing: { before: 600 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: `Instantánea ${s.id}`, size: 18, color: '555555' })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `Generado el ${fechaLarga(model.generado)} · huella de las cifras ${model.figurasSha256.slice(0, 16)}`, size: 18, color: '555555' })] }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
  const doc = new Document({
    creator: 'SINTRA',
    title: `${model.titulo} — SINTRA`,
    description: `Instantánea ${s.id}`,
    styles: {
      // es-MX for Word's spelling and hyphenation.
      default: { document: { run: { font: 'Arial', size: 20, language: { value: 'es-MX' } } } },
      paragraphStyles: [
        { id: 'Heading1', name: 'Heading 1', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 32, bold: true, color: GUINDA }, paragraph: { spacing: { before: 240, after: 160 } } },
        { id: 'Heading2', name: 'Heading 2', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 26, bold: true, color: '235B4E' }, paragraph: { spacing: { before: 240, after: 120 } } },
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: 12240, height: 15840 }, margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ size: 16, color: '666666', children: [`${model.titulo} · SINTRA · instantánea ${s.id.slice(0, 8)} · página `, PageNumber.CURRENT, ' de ', PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children: [...cover, ...model.blocks.flatMap(block)],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}
