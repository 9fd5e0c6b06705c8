/**
 * Draws a DocumentSpec as an A4 PDF in the layout of Chinese official documents (GB/T 9704: issuer
 * in red, document number, red rule, title, addressee, body, issuer and date), with Noto Sans SC
 * (OFL, GB2312-and-more subset, from the npm package @embedpdf/fonts-sc) embedded as a subset.
 * Nothing is fetched at run time. The output is reproducible: the same spec gives the same bytes,
 * since the PDF's creation date and file ID come from the spec.
 *
 * One weight only: each embedded CJK subset costs ~50 KB, so headings are set in the regular face
 * with a thin stroke (faux bold) instead of embedding the bold face too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { Block, DocumentSpec } from './templates.js';

let font: fontkit.Font | undefined;

/** Path of the CJK font file inside the installed package. */
export function cjkFontPath(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its index (dist/index.*); the font files sit in ../fonts beside it.
  return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

/**
 * The parsed CJK font, read once: parsing per document and losing fontkit's glyph caches made each
 * render ~10x slower. pdfkit accepts a fontkit font object wherever it takes a font file.
 */
export function cjkFont(): fontkit.Font {
  if (!font) {
    const f = fontkit.create(fs.readFileSync(cjkFontPath()));
    if (!('layout' in f)) throw new Error('the CJK font file is a collection, expected a single font');
    font = f;
  }
  return font;
}

/** True when the font can draw every character of `text` (anything else prints as an empty box). */
export function missingGlyphs(text: string): string[] {
  const f = cjkFont();
  const out = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x20 && !f.hasGlyphForCodePoint(cp)) out.add(ch);
  }
  return [...out];
}

const RED = '#c00000';
const GREY = '#555555';
interface Style {
  body: number;
  gap: number;
  indent: number;
}

export interface RenderOptions {
  /** Compress the streams (default). Tests may turn it off to read the PDF's structure. */
  compress?: boolean;
}

/** Renders a document to PDF bytes. */
export function renderPdf(spec: DocumentSpec, opts: RenderOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 70, left: 79, right: 74 },
    compress: opts.compress ?? true,
    bufferPages: true,
    // pdfkit hands a fontkit font object straight to its embedder; the typings only know files.
    font: cjkFont() as unknown as string,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: spec.docNo ? `${spec.title}（${spec.docNo}）` : spec.title,
      Author: spec.issuer,
      Subject: spec.footerLabel ? `${spec.footerLabel} ${spec.caseNo}` : `信访件 ${spec.caseNo}`,
      Creator: 'Xinfang 网上信访平台',
      Producer: 'Xinfang',
      CreationDate: new Date(spec.createdAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    const body = spec.compact ? 13 : 14;
    draw(doc, spec, { body, gap: spec.compact ? 4 : 6, indent: body * 2 });
    footers(doc, spec);
    doc.end();
  } catch (e) {
    doc.end();
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return done;
}

/** Faux bold: fill and stroke the glyphs with a hairline in the same colour. */
function bold(doc: PDFKit.PDFDocument, color: string, size: number): { fill: true; stroke: true } {
  doc.lineWidth(size * 0.035).strokeColor(color);
  return { fill: true, stroke: true };
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Starts a new page when fewer than `h` points remain. */
function ensureSpace(doc: PDFKit.PDFDocument, h: number): void {
  if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function draw(doc: PDFKit.PDFDocument, spec: DocumentSpec, st: Style): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);

  // 版头: issuer in red, the document number, a red rule.
  doc.fontSize(24).fillColor(RED).text(spec.issuer, left, doc.page.margins.top, { width, align: 'center', characterSpacing: 2, ...bold(doc, RED, 24) });
  doc.moveDown(0.4);
  if (spec.docNo) {
    doc.fontSize(13).fillColor('black').text(spec.docNo, left, doc.y, { width, align: 'center' });
  }
  doc.moveDown(0.3);
  const ruleY = doc.y + 2;
  doc.moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(1.5).strokeColor(RED).stroke();
  doc.y = ruleY + 16;

  doc.fontSize(21).fillColor('black').text(spec.title, left, doc.y, { width, align: 'center', characterSpacing: 1, ...bold(doc, 'black', 21) });
  doc.moveDown(0.6);

  if (spec.addressee) {
    doc.fontSize(st.body).text(spec.addressee, left, doc.y, { width, lineGap: st.gap });
  }
  for (const b of spec.blocks) block(doc, b, st);
}

function block(doc: PDFKit.PDFDocument, b: Block, st: Style): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  switch (b.type) {
    case 'paragraph':
      doc.fontSize(st.body).fillColor('black').text(b.text, left, doc.y, {
        width,
        lineGap: st.gap,
        indent: b.indent === false ? 0 : st.indent,
        paragraphGap: 2,
      });
      return;
    case 'heading':
      ensureSpace(doc, 60);
      doc.moveDown(0.3);
      doc.fontSize(st.body).fillColor('black').text(b.text, left, doc.y, { width, lineGap: st.gap, ...bold(doc, 'black', st.body) });
      return;
    case 'fields': {
      doc.moveDown(0.6);
      const labelW = 84;
      const size = 11;
      ensureSpace(doc, 40);
      const top = doc.y;
      doc.moveTo(left, top).lineTo(left + width, top).lineWidth(0.5).strokeColor('#999999').stroke();
      doc.y = top + 6;
      for (const [label, value] of b.rows) {
        doc.fontSize(size);
        const h = Math.max(doc.heightOfString(value, { width: width - labelW, lineGap: 2 }), size + 2);
        ensureSpace(doc, h + 4);
        const y = doc.y;
        doc.fillColor(GREY).text(label, left, y, { width: labelW - 8, lineBreak: false });
        doc.fillColor('black').text(value, left + labelW, y, { width: width - labelW, lineGap: 2 });
        doc.y = Math.max(doc.y, y + h) + 1;
      }
      const bottom = doc.y + 2;
      doc.moveTo(left, bottom).lineTo(left + width, bottom).lineWidth(0.5).strokeColor('#999999').stroke();
      doc.y = bottom + 10;
      return;
    }
    case 'highlight': {
      ensureSpace(doc, 90);
      doc.moveDown(0.5);
      const top = doc.y;
      const h = 66;
      doc.rect(left, top, width, h).lineWidth(1).strokeColor('black').stroke();
      doc.fontSize(12).fillColor(GREY).text(b.label, left, top + 10, { width, align: 'center' });
      doc.fontSize(24).fillColor('black').text(b.value, left, top + 28, { width, align: 'center', characterSpacing: 2, ...bold(doc, 'black', 24) });
      doc.y = top + h + 12;
      return;
    }
    case 'signature': {
      ensureSpace(doc, 80);
      doc.moveDown(1);
      const w = 230;
      const x = left + width - w;
      doc.fontSize(st.body).fillColor('black').text(b.issuer, x, doc.y, { width: w, align: 'center' });
      doc.moveDown(0.3);
      doc.text(b.date, x, doc.y, { width: w, align: 'center' });
      return;
    }
    case 'parties': {
      doc.moveDown(0.5);
      ensureSpace(doc, 85);
      const gap = 24;
      const colW = (width - gap * (b.parties.length - 1)) / b.parties.length;
      const top = doc.y;
      let bottom = top;
      b.parties.forEach((p, i) => {
        const x = left + i * (colW + gap);
        doc.fontSize(12.5).fillColor('black').text(p.role, x, top, { width: colW, ...bold(doc, 'black', 12.5) });
        doc.fontSize(st.body).text(p.name, x, doc.y + 2, { width: colW });
        doc.fontSize(11).fillColor(GREY);
        for (const line of p.lines) doc.text(line, x, doc.y + 1, { width: colW });
        doc.fillColor('black');
        bottom = Math.max(bottom, doc.y);
      });
      doc.y = bottom + 10;
      return;
    }
    default: {
      const never: never = b;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

/** Footer on every page: the case number and the page count. */
function footers(doc: PDFKit.PDFDocument, spec: DocumentSpec): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    doc.fontSize(9).fillColor(GREY)
      .text(`${spec.footerLabel ?? '信访件编号'} ${spec.caseNo}　　第 ${i - range.start + 1} 页 共 ${range.count} 页`, left, doc.page.height - 44, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
