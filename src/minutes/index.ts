/**
 * Documents in, Meeting out. Pure: gets the bytes, never touches the file system or the network.
 *
 *   parseDocument({ data, fileName })  detects the format (text, HTML, .docx, PDF), extracts text, parses
 *   parseText(text, { fileName })      parses text that is already extracted (sync)
 *
 * Bad input raises UserError with code 'empty' | 'unreadable' | 'not_minutes' | 'too_large'.
 */
import { createHash } from 'crypto';
import { UserError } from '../errors';
import { decodeText, detectFormat, docxToText, htmlToText, MAX_BINARY_BYTES, pdfToText } from './extract';
import type { DocumentFormat, Meeting } from './model';
import { baseName, parseText as parseExtracted, MAX_TEXT_CHARS } from './parse';

export * from './model';
export { classifyOutcome } from './outcome';
export { parsePeople } from './people';
export { findDates, findTimes } from './dates';

export interface DocumentInput {
  data: Buffer;
  fileName?: string;
}

/** Parses text that is already extracted. */
export function parseText(text: string, opts: { fileName?: string } = {}): Meeting {
  return parseExtracted(text, opts);
}

/** Extracts the text of a document (exposed for the store, which keeps the raw text). */
export async function extractDocumentText(input: DocumentInput): Promise<{ text: string; format: DocumentFormat }> {
  const data = input.data;
  if (!data || data.length === 0) throw new UserError('the document is empty', 'empty');
  const format = detectFormat(data, input.fileName);
  switch (format) {
    case 'doc':
      throw new UserError('old Word .doc files cannot be read; save the document as .docx or PDF', 'unreadable');
    case 'rtf':
      throw new UserError('RTF files cannot be read; save the document as .docx, PDF or HTML', 'unreadable');
    case 'zip':
      throw new UserError('the file is a ZIP archive, not a Word document', 'unreadable');
    case 'pdf':
      if (data.length > MAX_BINARY_BYTES) throw new UserError('the PDF is too large (the limit is 40 MB)', 'too_large');
      return { text: await pdfToText(data), format };
    case 'docx':
      if (data.length > MAX_BINARY_BYTES) throw new UserError('the Word document is too large (the limit is 40 MB)', 'too_large');
      return { text: await docxToText(data), format };
    case 'html': {
      const html = decodeText(data);
      return { text: htmlToText(html), format };
    }
    default:
      return { text: decodeText(data), format: 'text' };
  }
}

/** Detects the format, extracts the text preserving structure, and parses it. */
export async function parseDocument(input: DocumentInput): Promise<Meeting> {
  const sha256 = createHash('sha256').update(input.data ?? Buffer.alloc(0)).digest('hex');
  const { text, format } = await extractDocumentText(input);
  if (text.length > MAX_TEXT_CHARS) throw new UserError('the document is too large (the limit is 10 MB of text)', 'too_large');
  if (!text.trim()) {
    if (format === 'pdf') throw new UserError('the PDF has no text layer (a scanned document?)', 'unreadable');
    throw new UserError('the document is empty', 'empty');
  }
  const meeting = parseExtracted(text, { fileName: input.fileName });
  meeting.source = { file: input.fileName ? baseName(input.fileName) : null, sha256, format };
  return meeting;
}
