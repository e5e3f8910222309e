/**
 * Format detection and text extraction. Plain text, HTML (board-portal pages), Word .docx (mammoth → HTML)
 * and PDF (unpdf/pdf.js, lines rebuilt from glyph positions). Output is text whose structure the parser
 * understands: one block per line, table cells separated by tabs, headings prefixed with "#".
 */
import * as cheerio from 'cheerio';
import { UserError } from '../errors';
import { matchSectionLabel } from './labels';
import type { DocumentFormat } from './model';

export const MAX_TEXT_BYTES = 10 * 1024 * 1024;
export const MAX_BINARY_BYTES = 40 * 1024 * 1024;

export function detectFormat(data: Buffer, fileName?: string): DocumentFormat | 'doc' | 'zip' | 'rtf' {
  const ext = (fileName ?? '').toLowerCase().replace(/^.*\./, '');
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05) ) {
    return data.includes('word/') ? 'docx' : 'zip';
  }
  if (data.length >= 8 && data.readUInt32BE(0) === 0xd0cf11e0) return 'doc';
  const head = data.subarray(0, 4096).toString('latin1');
  if (/^\s*\{\\rtf/.test(head)) return 'rtf';
  if (ext === 'pdf' && data.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (ext === 'html' || ext === 'htm' || ext === 'xhtml') return 'html';
  if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]{0,500}?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(head)) return 'html';
  const tags = head.match(/<(?:p|div|h[1-6]|td|tr|table|li|span|br|section|dl|dt|dd)\b[^>]{0,200}>/gi);
  if (tags && tags.length >= 12) return 'html';
  return 'text';
}

/** Decodes bytes as UTF-8 (or UTF-16 / Windows-1252 when that reads better); rejects binary garbage. */
export function decodeText(data: Buffer): string {
  if (data.length > MAX_TEXT_BYTES) throw new UserError(`the document is too large (${Math.round(data.length / 1048576)} MB; the limit for text is 10 MB)`, 'too_large');
  let text: string;
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) text = new TextDecoder('utf-16le').decode(data.subarray(2));
  else if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) text = new TextDecoder('utf-16be').decode(data.subarray(2));
  else {
    text = new TextDecoder('utf-8', { fatal: false }).decode(data);
    const bad = countChar(text, 0xfffd);
    if (bad > 0 && bad > text.length * 0.002) {
      const alt = new TextDecoder('windows-1252').decode(data);
      if (looksLikeText(alt) && countChar(alt, 0xfffd) < bad) text = alt;
    }
  }
  if (!looksLikeText(text)) throw new UserError('the file is not readable text (it looks like binary data)', 'unreadable');
  return text;
}

function countChar(s: string, code: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === code) n++;
  return n;
}

function looksLikeText(s: string): boolean {
  const sample = s.length > 200000 ? s.slice(0, 200000) : s;
  if (!sample.length) return true;
  let bad = 0;
  let letters = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || c === 0) bad++;
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) bad++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0) letters++;
  }
  if (bad > sample.length * 0.02) return false;
  if (sample.trim().length > 50 && letters < sample.length * 0.2) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// HTML

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'nav', 'button', 'select', 'option', 'canvas', 'object', 'embed', 'map']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tfoot',
  'blockquote', 'pre', 'form', 'fieldset', 'figure', 'figcaption', 'address', 'hr', 'body', 'html', 'caption', 'details', 'summary', 'center',
]);

interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

class Out {
  lines: string[] = [];
  cur = '';
  /** Word numbering converted by mammoth: every numbered heading becomes its own one-item <ol> starting at 1 */
  continueSingleOl = false;
  singleOlCounter = 0;
  text(s: string) {
    const t = s.replace(/\s+/g, ' ');
    if (!t.trim() && !this.cur) return;
    this.cur += t;
  }
  flush() {
    const t = this.cur.replace(/ +/g, ' ').replace(/ *\t */g, '\t').trim();
    if (t) this.lines.push(t);
    this.cur = '';
  }
  blank() {
    this.flush();
    if (this.lines.length && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }
}

function inlineText(node: DomNode, depth = 0): string {
  if (depth > 200) return '';
  if (node.type === 'text') return (node.data ?? '').replace(/\s+/g, ' ');
  if (node.type !== 'tag' && node.type !== 'root') return '';
  if (node.name && SKIP.has(node.name)) return '';
  if (node.name === 'br') return ' ';
  let s = '';
  for (const c of node.children ?? []) {
    const t = inlineText(c, depth + 1);
    if (c.type === 'tag' && c.name && (BLOCK.has(c.name) || c.name === 'li' || /^h[1-6]$/.test(c.name))) s += ' ' + t + ' ';
    else s += t;
  }
  return s;
}

const STRUCTURE = new Set(['p', 'div', 'table', 'ul', 'ol', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'blockquote', 'pre']);

function hasBlocks(node: DomNode, depth: number): boolean {
  if (depth > 50) return false;
  let brs = 0;
  let paras = 0;
  for (const c of node.children ?? []) {
    if (c.type !== 'tag') continue;
    if (c.name && STRUCTURE.has(c.name)) {
      // a single short <p> in a cell is still a cell value
      if (c.name === 'p' || c.name === 'div') {
        const t = inlineText(c).trim();
        if (t.length > 200 || hasBlocks(c, depth + 1) || ++paras >= 2) return true;
        continue;
      }
      return true;
    }
    if (c.name === 'br' && ++brs > 2) return true;
    if (hasBlocks(c, depth + 1)) return true;
  }
  return false;
}

function walk(node: DomNode, out: Out, depth: number, listCtx: { ordered: boolean; n: number } | null) {
  if (depth > 300) return;
  if (node.type === 'text') {
    out.text(node.data ?? '');
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root' && node.type !== 'script' && node.type !== 'style') return;
  if (node.type === 'script' || node.type === 'style') return;
  const name = node.name ?? '';
  if (SKIP.has(name)) return;
  const kids = node.children ?? [];
  const h = /^h([1-6])$/.exec(name);
  if (h) {
    out.blank();
    const t = inlineText(node).replace(/\s+/g, ' ').trim();
    if (t) out.lines.push(`${'#'.repeat(+h[1])} ${t}`);
    out.blank();
    return;
  }
  if (name === 'br') {
    out.flush();
    return;
  }
  if (name === 'tr') {
    out.flush();
    const tds = kids.filter((c) => c.type === 'tag' && (c.name === 'td' || c.name === 'th'));
    if (tds.some((c) => hasBlocks(c, 0))) {
      // a layout table: cells hold paragraphs and headings, walk them as blocks
      for (const c of tds) {
        walk(c, out, depth + 1, null);
        out.flush();
      }
      return;
    }
    const cells: string[] = [];
    for (const c of kids) if (c.type === 'tag' && (c.name === 'td' || c.name === 'th')) cells.push(inlineText(c).replace(/\s+/g, ' ').trim());
    while (cells.length && !cells[cells.length - 1]) cells.pop();
    const nonEmpty = cells.filter(Boolean);
    if (nonEmpty.length) out.lines.push(cells.join('\t'));
    return;
  }
  if (name === 'dt' || name === 'dd') {
    out.flush();
    const t = inlineText(node).replace(/\s+/g, ' ').trim();
    if (t) out.lines.push(t);
    if (name === 'dd') out.lines.push('');
    return;
  }
  if (name === 'li') {
    out.flush();
    let prefix = '- ';
    if (listCtx) {
      listCtx.n++;
      if (listCtx.ordered) prefix = `${listCtx.n}. `;
    }
    out.cur = prefix;
    for (const c of kids) walk(c, out, depth + 1, null);
    const line = out.cur.trim();
    if (listCtx?.ordered && /^\d+\.\s+\d+\s*[.)]\s/.test(line)) out.cur = line.replace(/^\d+\.\s+/, '');
    out.flush();
    return;
  }
  if (name === 'ol' || name === 'ul') {
    out.flush();
    const start = name === 'ol' ? parseInt(node.attribs?.start ?? '1', 10) : 1;
    const ctx = { ordered: name === 'ol', n: (Number.isFinite(start) ? start : 1) - 1 };
    const single = name === 'ol' && out.continueSingleOl && !node.attribs?.start && kids.filter((c) => c.type === 'tag' && c.name === 'li').length === 1;
    if (single) ctx.n = out.singleOlCounter;
    for (const c of kids) walk(c, out, depth + 1, ctx);
    if (single) out.singleOlCounter = ctx.n;
    out.blank();
    return;
  }
  const block = BLOCK.has(name) || name === 'td' || name === 'th';
  if (block) out.flush();
  for (const c of kids) walk(c, out, depth + 1, listCtx && name !== 'li' ? listCtx : null);
  if (!block && (name === 'span' || name === 'label' || name === 'time' || name === 'abbr') && out.cur && !/\s$/.test(out.cur)) out.cur += ' ';
  if (block) {
    if (name === 'p' || name === 'table' || name === 'section' || name === 'article' || name === 'blockquote') out.blank();
    else out.flush();
  }
}

export function htmlToText(html: string, opts: { continueSingleOl?: boolean } = {}): string {
  const $ = cheerio.load(html);
  const out = new Out();
  out.continueSingleOl = !!opts.continueSingleOl;
  const root = $.root()[0] as unknown as DomNode;
  const hasH1 = $('h1').length > 0;
  const title = $('head > title').first().text().replace(/\s+/g, ' ').trim();
  if (!hasH1 && title) {
    out.lines.push(`# ${title}`);
    out.lines.push('');
  }
  walk(root, out, 0, null);
  out.flush();
  return out.lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// DOCX

export async function docxToText(data: Buffer): Promise<string> {
  let html: string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mammoth = require('mammoth') as typeof import('mammoth');
    const res = await mammoth.convertToHtml({ buffer: data });
    html = res.value;
  } catch {
    throw new UserError('the Word document could not be read (it may be damaged or not a .docx file)', 'unreadable');
  }
  return htmlToText(`<html><body>${html}</body></html>`, { continueSingleOl: true });
}

// ---------------------------------------------------------------------------------------------
// PDF

interface PdfItem {
  str: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export async function pdfToText(data: Buffer): Promise<string> {
  let pages: PdfItem[][] = [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const unpdf = require('unpdf') as typeof import('unpdf');
    const doc = await unpdf.getDocumentProxy(new Uint8Array(data));
    const count = Math.min(doc.numPages, 2000);
    for (let p = 1; p <= count; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      const items: PdfItem[] = [];
      for (const it of content.items as Array<{ str?: string; transform?: number[]; width?: number; height?: number }>) {
        if (typeof it.str !== 'string' || !it.transform) continue;
        items.push({ str: it.str, x: it.transform[4], y: it.transform[5], w: it.width ?? 0, h: Math.abs(it.height || it.transform[3] || 10) });
      }
      pages.push(items);
    }
    await doc.destroy?.();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('the PDF could not be read (it may be damaged or encrypted)', 'unreadable');
  }
  const pageLines = pages.map(layoutPage);
  pages = [];
  // drop running headers/footers: lines repeated at the top/bottom of many pages, and page numbers
  const edgeCount = new Map<string, number>();
  for (const lines of pageLines) {
    const nonBlank = lines.filter((l) => l.trim());
    const edges = new Set([...nonBlank.slice(0, 2), ...nonBlank.slice(-2)].map((l) => l.replace(/\d+/g, '#')));
    for (const e of edges) edgeCount.set(e, (edgeCount.get(e) ?? 0) + 1);
  }
  const out: string[] = [];
  const pagesN = pageLines.length;
  const firstTop = new Set((pageLines[0] ?? []).filter((l) => l.trim()).slice(0, 6).map((l) => l.replace(/\d+/g, '#')));
  pageLines.forEach((lines, p) => {
    const idx: number[] = [];
    lines.forEach((l, k) => l.trim() && idx.push(k));
    const top = new Set(idx.slice(0, 2));
    const edgeIdx = new Set([...idx.slice(0, 2), ...idx.slice(-2)]);
    lines.forEach((l, k) => {
      const t = l.trim();
      if (/^(?:side|page|s\.)?\s*\d{1,4}\s*(?:(?:af|of|\/)\s*\d{1,4})?$/i.test(t)) return;
      if (!edgeIdx.has(k) || pagesN < 2 || matchSectionLabel(t) || /^\d{1,3}\s*[.)]\s/.test(t)) {
        out.push(l);
        return;
      }
      // the first page's header stays: it may be the only place the forum and date are written
      if (p === 0 && top.has(k)) {
        out.push(l);
        return;
      }
      const shape = l.replace(/\d+/g, '#');
      const count = edgeCount.get(shape) ?? 0;
      const running =
        (pagesN >= 3 && count >= Math.max(3, pagesN * 0.6)) ||
        // two pages or a few: only lines that look like furniture (a date or number, or the first page's header)
        (count >= Math.max(2, Math.ceil(pagesN * 0.5)) && (/\d/.test(t) || firstTop.has(shape)));
      if (running) return;
      out.push(l);
    });
    out.push('');
  });
  return out.join('\n');
}

function layoutPage(items: PdfItem[]): string[] {
  const rows: PdfItem[][] = [];
  const sorted = items.filter((i) => i.str.length > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0].y - it.y) <= Math.max(2, Math.min(row[0].h, it.h) * 0.45)) row.push(it);
    else rows.push([it]);
  }
  const lines: string[] = [];
  let prevY: number | null = null;
  let prevH = 10;
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let s = '';
    let end: number | null = null;
    for (const it of row) {
      if (end !== null) {
        const gap = it.x - end;
        if (gap > Math.max(12, it.h * 1.8)) s += '\t';
        else if (gap > it.h * 0.12 && !s.endsWith(' ') && !it.str.startsWith(' ')) s += ' ';
      }
      s += it.str;
      end = it.x + it.w;
    }
    const y = row[0].y;
    if (prevY !== null && prevY - y > prevH * 1.75) lines.push('');
    lines.push(s.replace(/[ ]{2,}/g, ' ').trimEnd());
    prevY = y;
    prevH = row[0].h || prevH;
  }
  return lines;
}
