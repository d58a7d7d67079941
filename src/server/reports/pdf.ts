// The same report model as PDF, drawn with pdfkit (pure JavaScript): no office suite needed on the server,
// and the PDF carries exactly the figures of the DOCX because both render one model.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { autoWidths, fechaLarga, type Block, type ReportModel } from './content.js';

const FONTS: [string, string][] = [
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
];
const TTF = FONTS.find(([r, b]) => fs.existsSync(r) && fs.existsSync(b));
/** Without a TrueType font the built-in Helvetica (WinAnsi) is used: replace what it cannot draw. */
const clean = (s: string) => (TTF ? s : s.replace(/Σ/g, 'Suma').replace(/≥/g, '>=').replace(/≤/g, '<=').replace(/−/g, '-').replace(/÷/g, '/').replace(/…/g, '...').replace(/→/g, '->'));

const GUINDA = '#691C32';
const VERDE = '#235B4E';
const MARGIN = 60;

export async function toPdf(model: ReportModel): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN }, bufferPages: true, info: { Title: `${model.titulo} — SINTRA`, Author: 'SINTRA', Subject: `Instantánea ${model.snapshot.id}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (TTF) {
    doc.registerFont('R', TTF[0]);
    doc.registerFont('B', TTF[1]);
  } else {
    doc.registerFont('R', 'Helvetica');
    doc.registerFont('B', 'Helvetica-Bold');
  }
  const W = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const s = model.snapshot;

  // Cover
  doc.font('R').fontSize(12).fillColor('#444444');
  doc.y = 200;
  doc.text(clean('Comisión Intersecretarial para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas'), { align: 'center' });
  doc.moveDown(2).font('B').fontSize(30).fillColor(GUINDA).text(model.titulo, { align: 'center' });
  doc.moveDown(0.5).font('R').fontSize(14).fillColor('#000000').text(clean('Sistema Nacional de Información en materia de Trata de Personas (SINTRA)'), { align: 'center' });
  doc.moveDown(4).fontSize(12).text(`Periodo: ${fechaLarga(s.periodo_desde)} al ${fechaLarga(s.periodo_hasta)}`, { align: 'center' });
  doc.text(`Fecha de corte: ${fechaLarga(s.fecha_corte)}`, { align: 'center' });
  doc.moveDown(2).fontSize(9).fillColor('#555555').text(`Instantánea ${s.id}`, { align: 'center' });
  doc.text(`Generado el ${fechaLarga(model.generado)} · huella de las cifras ${model.figurasSha256.slice(0, 16)}`, { align: 'center' });
  doc.addPage();

  const caption = (id: string, titulo: string) => {
    doc.font('B').fontSize(9.5).fillColor(GUINDA).text(`${id}. `, { continued: true }).fillColor('#000000').text(clean(titulo));
    doc.moveDown(0.2);
  };

  const drawTable = (b: Extract<Block, { kind: 'table' }>) => {
    const n = b.head.length;
    const fs = n > 7 ? 6.5 : 7.5;
    // Liberation Sans averages about half an em per character.
    const pcts = b.widths ?? autoWidths(b.head, b.rows, Math.floor(W / (fs * 0.52)));
    const sum = pcts.reduce((a, x) => a + x, 0);
    const widths = pcts.map((p) => (p / sum) * W);
    const pad = 2.5;
    const numeric = (v: string) => /^[<\d][\d,. %<]*$/.test(v);
    const rowHeight = (cells: string[], font: string) => {
      doc.font(font).fontSize(fs);
      return Math.max(...cells.map((c, i) => doc.heightOfString(clean(c), { width: widths[i] - 2 * pad }))) + 2 * pad;
    };
    const drawRow = (cells: string[], opts: { head?: boolean; total?: boolean }) => {
      const font = opts.head || opts.total ? 'B' : 'R';
      const h = rowHeight(cells, font);
      const y = doc.y;
      let x = MARGIN;
      if (opts.head) doc.rect(MARGIN, y, W, h).fill(GUINDA);
      else if (opts.total) doc.rect(MARGIN, y, W, h).fill('#EDE3E5');
      doc.lineWidth(0.3).strokeColor('#BFBFBF');
      cells.forEach((c, i) => {
        doc.rect(x, y, widths[i], h).stroke();
        doc.font(font).fontSize(fs).fillColor(opts.head ? '#FFFFFF' : '#000000').text(clean(c), x + pad, y + pad, { width: widths[i] - 2 * pad, align: i > 0 && !opts.head && numeric(c) ? 'right' : 'left' });
        x += widths[i];
      });
      doc.x = MARGIN;
      doc.y = y + h;
    };
    const head = b.head.map(String);
    ensure(40 + rowHeight(head, 'B'));
    if (b.figure.titulo) caption(b.figure.id, b.figure.titulo);
    drawRow(head, { head: true });
    doc.font('R').fontSize(7);
    const notesHeight = b.notes.reduce((a, note) => a + doc.heightOfString(clean(note), { width: W }), 0) + 4;
    b.rows.forEach((r, k) => {
      const cells = r.map(String);
      // The last row keeps the notes on its page: a note alone at the top of a page reads as belonging to nothing.
      const h = rowHeight(cells, 'R') + (k === b.rows.length - 1 ? notesHeight : 0);
      if (doc.y + h > bottom()) {
        doc.addPage();
        drawRow(head, { head: true });
      }
      drawRow(cells, { total: k === b.rows.length - 1 && cells[0] === 'Total' });
    });
    doc.moveDown(0.2);
    for (const note of b.notes) doc.font('R').fontSize(7).fillColor('#555555').text(clean(note), MARGIN, doc.y, { width: W });
    doc.fillColor('#000000').moveDown(0.8);
  };

  for (const b of model.blocks) {
    doc.x = MARGIN;
    switch (b.kind) {
      case 'heading':
        ensure(60);
        doc.moveDown(0.5).font('B').fontSize(b.level === 1 ? 16 : 12.5).fillColor(b.level === 1 ? GUINDA : VERDE).text(clean(b.text), { width: W });
        doc.moveDown(0.4).fillColor('#000000');
        break;
      case 'paragraph':
        doc.font('R').fontSize(b.small ? 8 : 10).fillColor('#000000').text(clean(b.text), { width: W, align: 'justify' });
        doc.moveDown(0.5);
        break;
      case 'bullets':
        doc.font('R').fontSize(10);
        doc.list(b.items.map(clean), { width: W - 15, bulletRadius: 1.8, textIndent: 12, align: 'justify' });
        doc.moveDown(0.5);
        break;
      case 'pagebreak':
        if (doc.y > doc.page.margins.top + 1) doc.addPage();
        break;
      case 'table':
        drawTable(b);
        break;
      case 'chart': {
        const w = W;
        const h = (b.height * w) / b.width;
        ensure(h + 30);
        doc.image(b.png, MARGIN, doc.y, { width: w, height: h });
        doc.y += h + 4;
        doc.x = MARGIN;
        doc.font('B').fontSize(9).fillColor('#000000').text(clean(`${b.figure.id}. ${b.figure.titulo}`), MARGIN, doc.y, { width: W, align: 'center' });
        doc.moveDown(0.8);
        break;
      }
    }
  }

  // Footers with page numbers (pages are buffered).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN + 15;
    // Writing inside the bottom margin would start a new page: lift the margin while drawing the footer.
    doc.page.margins.bottom = 0;
    doc.font('R').fontSize(7.5).fillColor('#666666').text(`${model.titulo} · SINTRA · instantánea ${s.id.slice(0, 8)} · página ${i + 1} de ${range.count}`, MARGIN, y, { width: W, align: 'center', lineBreak: false });
    doc.page.margins.bottom = MARGIN + 10;
  }
  doc.end();
  return done;
}
