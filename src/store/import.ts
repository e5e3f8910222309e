import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { UserError } from '../errors';
import { Meeting, type DocumentFormat, type MeetingStatus } from '../minutes/model';
import type { Db, Queryable } from './db';
import { ensureKnownForums, forumKey, getOrCreateForum } from './forums';
import { findMeetingFor, mergeMeetings, newMeetingId, planStatedNextMeeting, STATUS_RANK, writeMeeting } from './meetings';
import { parseMeetingTime } from './time';

/**
 * The importer: a document's bytes in, a stored meeting out.
 * - The same bytes again change nothing (documents are keyed by sha256).
 * - A document of a meeting already stored (same forum and local date; a planned meeting, its agenda)
 *   updates that meeting; it never adds a second one.
 * - One transaction per document: a document that fails leaves nothing behind.
 */

/** Documents larger than this are refused before they are read. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** Extensions picked up when a folder is imported. */
export const DOCUMENT_EXTENSIONS = ['.txt', '.htm', '.html', '.docx', '.pdf', '.ics'];

export type ParseFn = (input: { data: Buffer; fileName: string }) => Promise<Meeting>;

export interface ImportInput {
  data: Buffer;
  fileName: string;
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export interface ImportResult {
  file: string;
  meetingId: string | null;
  result: ImportOutcome;
  /** The meeting's status after the import. */
  status?: MeetingStatus;
  forum?: string;
}

export interface ImportError {
  file: string;
  meetingId: null;
  result: 'error';
  error: string;
}

export interface ImportEvent {
  meetingId: string;
  forumId: string;
  result: 'created' | 'updated';
  /** null when the meeting is new. */
  previousStatus: MeetingStatus | null;
  status: MeetingStatus;
  file: string;
  sha256: string;
  meeting: Meeting;
}

/**
 * Runs inside the import's transaction after the meeting is written, for created and updated meetings
 * (broadcasts queue their channel posts here, so a post exists exactly when the import committed).
 * A hook that throws rolls the import back.
 */
export type ImportHook = (tx: Queryable, event: ImportEvent) => Promise<void>;
const hooks: ImportHook[] = [];
export function addImportHook(hook: ImportHook): () => void {
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

export interface ImportOptions {
  /** The parser; default: parseDocument from src/minutes. */
  parse?: ParseFn;
  /** Who imports, for the audit log: an Entra object id, 'cli' or 'system'. */
  actor?: string;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The parser from src/minutes, loaded when first needed. */
export function defaultParser(): ParseFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../minutes') as { parseDocument?: ParseFn };
  if (typeof mod.parseDocument !== 'function') throw new Error('the minutes parser (src/minutes) does not export parseDocument');
  return mod.parseDocument;
}

/** The format a document's bytes are in, from their first bytes (the extension only breaks ties). */
export function sniffFormat(data: Buffer, fileName: string): DocumentFormat | 'ics' {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return 'docx';
  const head = data.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*BEGIN:VCALENDAR/i.test(head)) return 'ics';
  if (/\.html?$/i.test(fileName) || /<(?:!doctype html|html|body|div|p|table|h[1-6])[\s>]/i.test(head)) return 'html';
  return 'text';
}

const fmtMb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Refuses what is not a readable document, with one clear line: empty, too large, binary data.
 * Text in UTF-16 or Windows-1252 is returned as UTF-8, so the parser sees one encoding.
 */
export function checkDocumentBytes(data: Buffer, fileName: string): { format: DocumentFormat | 'ics'; data: Buffer; text: string | null } {
  const name = path.basename(fileName);
  if (data.length === 0) throw new UserError(`${name}: the file is empty`, 'empty_file');
  if (data.length > MAX_DOCUMENT_BYTES) throw new UserError(`${name}: the file is too large (${fmtMb(data.length)}; the limit is ${fmtMb(MAX_DOCUMENT_BYTES)})`, 'too_large');
  const format = sniffFormat(data, fileName);
  if (format === 'pdf' || format === 'docx') return { format, data, text: null };
  const text = decodeText(data);
  if (text === null) throw new UserError(`${name}: not a readable document (the file holds binary data, not text, HTML, Word or PDF)`, 'binary');
  if (!text.replace(/<[^>]*>/g, '').trim()) throw new UserError(`${name}: the file is empty (no text)`, 'empty_file');
  return { format, data: Buffer.from(text, 'utf8'), text };
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; null for binary data. */
function decodeText(data: Buffer): string | null {
  let text: string;
  if (data[0] === 0xff && data[1] === 0xfe) text = new TextDecoder('utf-16le').decode(data.subarray(2));
  else if (data[0] === 0xfe && data[1] === 0xff) text = new TextDecoder('utf-16be').decode(data.subarray(2));
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      text = new TextDecoder('windows-1252').decode(data);
    }
  }
  text = text.replace(/^\uFEFF/, '');
  const sample = text.slice(0, 200_000);
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return null;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) bad++;
  }
  return sample.length && bad / sample.length > 0.01 ? null : text;
}

/** Reads a document from disk, refusing a missing, empty or too large file before reading it. */
export async function readDocumentFile(file: string): Promise<Buffer> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch {
    throw new UserError(`${file}: file not found`, 'not_found');
  }
  if (st.isDirectory()) throw new UserError(`${file}: is a folder, not a document`, 'is_folder');
  if (st.size === 0) throw new UserError(`${path.basename(file)}: the file is empty`, 'empty_file');
  if (st.size > MAX_DOCUMENT_BYTES) throw new UserError(`${path.basename(file)}: the file is too large (${fmtMb(st.size)}; the limit is ${fmtMb(MAX_DOCUMENT_BYTES)})`, 'too_large');
  return fs.promises.readFile(file);
}

/**
 * Parses a document into a Meeting, with the checks every caller needs: readable bytes, a parser
 * result that fits the model, at least one agenda item. Errors are UserErrors with one clear line.
 */
export async function parseChecked(input: ImportInput, parse: ParseFn = defaultParser()): Promise<{ meeting: Meeting; format: DocumentFormat; text: string | null; sha256: string }> {
  const checked = checkDocumentBytes(input.data, input.fileName);
  const name = path.basename(input.fileName);
  if (checked.format === 'ics') throw new UserError(`${name}: is a calendar (.ics); import it with "forumbot import" or "forumbot meetings import-ics"`, 'is_calendar');
  const digest = sha256(input.data);
  let parsed: Meeting;
  try {
    parsed = await parse({ data: checked.data, fileName: input.fileName });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${name}: could not read the document (${firstLine(e)})`, 'parse_failed');
  }
  const valid = Meeting.safeParse(parsed);
  if (!valid.success) throw new UserError(`${name}: could not read the document (the parser returned an incomplete meeting)`, 'parse_failed');
  const meeting = valid.data;
  if (meeting.items.length === 0) throw new UserError(`${name}: no agenda items found (is it an agenda or minutes?)`, 'no_items');
  meeting.source = { ...meeting.source, file: name, sha256: digest, format: meeting.source.format ?? checked.format };
  return { meeting, format: checked.format, text: checked.text, sha256: digest };
}

const firstLine = (e: unknown) => String(e instanceof Error ? e.message : e).split('\n')[0].slice(0, 200);

class AlreadyImported extends Error {}

/**
 * Imports one document. Same bytes as a stored document: `unchanged`, nothing is written.
 * Otherwise parsed, then in one transaction: forum (created when unknown), the meeting (created, or the
 * stored one of the same forum and date updated), attendees, items, the document row, the audit log,
 * a planned meeting for a stated "Næste møde", and the import hooks.
 * An agenda arriving after the minutes is kept as a document but does not overwrite them (`unchanged`).
 */
export async function importDocument(db: Db, input: ImportInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const file = path.basename(input.fileName);
  const digest = sha256(input.data);
  const known = await findDocument(db, digest);
  if (known) return { file, meetingId: known.meetingId, result: 'unchanged' };
  const { meeting, format, text } = await parseChecked(input, opts.parse ?? defaultParser());
  await ensureKnownForums(db);
  try {
    return await db.transaction(async (tx) => {
      // An import can always be repeated (same bytes → unchanged), so its commit need not wait for the WAL
      // flush: a crash loses at most the last moments of imports, never consistency. Much faster on disk.
      // On PostgreSQL, imports of one forum take turns, so two instances never create the same meeting twice.
      if (db.engine === 'postgres')
        await tx.query("select set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(hashtext($1))", [`forumbot:import:${forumKey(meeting.forum ?? '')}`]);
      else await tx.query("select set_config('synchronous_commit', 'off', true)");
      const forum = await getOrCreateForum(tx, meeting.forum);
      const time = parseMeetingTime(meeting.start);
      const match = await findMeetingFor(tx, forum.id, time?.date ?? null, meeting.kind);
      let meetingId: string;
      let result: ImportOutcome;
      let status: MeetingStatus;
      let written: Meeting | null = null;
      if (match && STATUS_RANK[meeting.status] < STATUS_RANK[match.status]) {
        // an agenda (or an older version) after the minutes: file the document, keep the minutes
        meetingId = match.id;
        result = 'unchanged';
        status = match.status;
      } else if (match) {
        meetingId = match.id;
        written = mergeMeetings(match.meeting, meeting);
        await writeMeeting(tx, { id: meetingId, forum, meeting: written, origin: match.origin, externalUid: match.externalUid });
        result = 'updated';
        status = written.status;
      } else {
        meetingId = await newMeetingId(tx, forum, time?.date ?? null);
        written = meeting;
        await writeMeeting(tx, { id: meetingId, forum, meeting, origin: 'document', isNew: true });
        result = 'created';
        status = meeting.status;
      }
      if (written && meeting.nextMeeting && time && meeting.nextMeeting > time.date) await planStatedNextMeeting(tx, forum, meeting.nextMeeting);
      // the document and its audit row in one statement; no row back means the bytes were imported meanwhile
      const inserted = await tx.query(
        `with doc as (
           insert into documents (sha256, file_name, format, raw_text, meeting_id, byte_size, doc_status)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict (sha256) do nothing returning sha256
         )
         insert into audit_log (actor, action, subject, details) select $8, 'minutes.import', $5, $9::jsonb from doc returning id`,
        [
          digest,
          file,
          format,
          text ?? '',
          meetingId,
          input.data.length,
          meeting.status,
          opts.actor ?? 'system',
          JSON.stringify({ file, sha256: digest, result, status: meeting.status, forum: forum.id }),
        ],
      );
      if (inserted.rows.length === 0) throw new AlreadyImported(); // imported by someone else meanwhile
      if (written && result !== 'unchanged') {
        const event: ImportEvent = { meetingId, forumId: forum.id, result, previousStatus: match?.status ?? null, status, file, sha256: digest, meeting: { ...written, id: meetingId, forum: forum.name } };
        for (const hook of [...hooks]) await hook(tx, event);
      }
      return { file, meetingId, result, status, forum: forum.name };
    });
  } catch (e) {
    if (e instanceof AlreadyImported) {
      const doc = await findDocument(db, digest);
      return { file, meetingId: doc?.meetingId ?? null, result: 'unchanged' };
    }
    throw e;
  }
}

export async function findDocument(q: Queryable, digest: string): Promise<{ sha256: string; fileName: string; meetingId: string | null } | null> {
  const r = await q.query<{ sha256: string; file_name: string; meeting_id: string | null }>('select sha256, file_name, meeting_id from documents where sha256 = $1', [digest]);
  const row = r.rows[0];
  return row ? { sha256: row.sha256, fileName: row.file_name, meetingId: row.meeting_id } : null;
}

/** Files named on the command line, with folders expanded (recursively, document extensions only, sorted). */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (DOCUMENT_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = fs.statSync(input).isDirectory();
    } catch {
      // missing: reported per file by importFiles
    }
    if (isDir) walk(input);
    else out.push(input);
  }
  return out;
}

export interface ImportFilesOptions extends ImportOptions {
  /** For calendars (.ics): the forum their events belong to, when the calendar does not say. */
  forum?: string;
  /** Called after each file. */
  onProgress?: (done: number, total: number, results: Array<ImportResult | ImportError>) => void;
}

/**
 * Imports files and folders, each file in its own transaction: one that fails is reported as an error and
 * the rest still go in. Calendars (.ics) plan meetings (one result per event).
 */
export async function importFiles(db: Db, inputs: string[], opts: ImportFilesOptions = {}): Promise<Array<ImportResult | ImportError>> {
  const files = expandInputs(inputs);
  const all: Array<ImportResult | ImportError> = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    let results: Array<ImportResult | ImportError>;
    try {
      const data = await readDocumentFile(file);
      if (sniffFormat(data.subarray(0, 4096), file) === 'ics') {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { importIcs } = require('./ics') as typeof import('./ics'); // ics imports this module: load it late
        results = (await importIcs(db, { data, fileName: file, forum: opts.forum, actor: opts.actor })).map((r) => ({ ...r, file }));
      } else {
        results = [{ ...(await importDocument(db, { data, fileName: file }, opts)), file }];
      }
    } catch (e) {
      results = [{ file, meetingId: null, result: 'error', error: e instanceof UserError ? e.message : `internal error: ${firstLine(e)}` }];
    }
    all.push(...results);
    opts.onProgress?.(i + 1, files.length, results);
  }
  return all;
}
