/**
 * Reads the text back out of a PDF that render.ts wrote: inflates the streams, maps each font's
 * glyph codes through its ToUnicode CMap, and joins the strings of each text object into a line.
 * Enough for pdfkit's output (2-byte codes, hex strings, TJ arrays), not a general PDF parser; it
 * lets tests and checks read a document without external tools.
 */
import zlib from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && /^stream\r?\n/.test(body.slice(s))) {
      dict = body.slice(0, s);
      const dataStart = start + s + (body.slice(s).startsWith('stream\r\n') ? 8 : 7);
      const len = /\/Length (\d+)(?! \d+ R)/.exec(dict);
      const dataEnd = len ? dataStart + Number(len[1]) : text.indexOf('endstream', dataStart);
      let raw = pdf.subarray(dataStart, dataEnd);
      if (/\/FlateDecode/.test(dict)) raw = zlib.inflateSync(raw);
      stream = raw;
    }
    out.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

function utf16beHex(hex: string): string {
  const codes: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) codes.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...codes);
}

/** Parses a ToUnicode CMap (bfchar and bfrange, with single or array destinations). */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const sec of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const e of (sec[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(e[1]!, 16), utf16beHex(e[2]!));
  }
  for (const sec of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const e of (sec[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = parseInt(e[1]!, 16);
      const hi = parseInt(e[2]!, 16);
      const dst = e[3]!;
      if (dst.startsWith('[')) {
        [...dst.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(lo + i, utf16beHex(d[1]!)));
      } else {
        const base = parseInt(dst.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCharCode(base + (c - lo)));
      }
    }
  }
  return map;
}

/** The text of every text object (BT … ET) of the PDF, one line each, in page order. */
export function extractPdfText(pdf: Buffer): string {
  const objects = parseObjects(pdf);
  const cmapOfFontObj = new Map<number, Map<number, string>>();
  for (const [num, o] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(o.dict);
    const cmapStream = ref ? objects.get(Number(ref[1]))?.stream : undefined;
    if (cmapStream) cmapOfFontObj.set(num, parseToUnicode(cmapStream.toString('latin1')));
  }
  // Resource names (/F1 …) → font object numbers; pdfkit names fonts uniquely per document.
  const fontOfName = new Map<string, number>();
  for (const o of objects.values()) {
    for (const fonts of o.dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const e of (fonts[1] ?? '').matchAll(/\/([\w.-]+) (\d+) 0 R/g)) fontOfName.set(e[1]!, Number(e[2]));
    }
  }
  const pageContents: number[] = [];
  for (const o of objects.values()) {
    if (!/\/Type \/Page\b/.test(o.dict)) continue;
    const c = /\/Contents (\d+) 0 R/.exec(o.dict);
    if (c) pageContents.push(Number(c[1]));
  }
  const lines: string[] = [];
  for (const num of pageContents) {
    const content = objects.get(num)?.stream?.toString('latin1') ?? '';
    let cmap: Map<number, string> | undefined;
    let line = '';
    const tokens = content.matchAll(/\/([\w.-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>|\b(BT|ET)\b/g);
    for (const t of tokens) {
      if (t[1] !== undefined) {
        const obj = fontOfName.get(t[1]);
        cmap = obj === undefined ? undefined : cmapOfFontObj.get(obj);
      } else if (t[2] !== undefined) {
        for (let i = 0; i + 4 <= t[2].length; i += 4) line += cmap?.get(parseInt(t[2].slice(i, i + 4), 16)) ?? '';
      } else if (t[3] === 'ET') {
        lines.push(line);
        line = '';
      }
    }
  }
  return lines.filter((l) => l !== '').join('\n');
}
