import fs from 'fs';
import path from 'path';
import { DateTime } from 'luxon';
import type { Db } from './db';
import { addForumNames, ensureKnownForums, getOrCreateForum } from './forums';
import { importDocument, sha256, type ImportOptions, type ImportResult } from './import';
import { deleteMeeting } from './meetings';
import { ZONE } from './time';

/**
 * The demo forum for `npm start` (`forumbot serve --demo`): minutes and agendas in samples/, written for
 * this project (fictional municipalities, people and decisions). Dates in the upcoming documents are
 * templates, {{date+14:yyyy-MM-dd}} = today + 14 days in that luxon format (Danish month names), so
 * "hvornår er næste møde?" always has an answer.
 */
export const SAMPLES_DIR = path.join(__dirname, '..', '..', 'samples');

export const DEMO_FORUM = {
  name: 'Socialdirektørforum Vestkyst',
  shortNames: ['SFV'],
  aliases: ['Vestkystforum', 'Socialdirektørforum for Vestkysten'],
  region: 'Vestkysten',
};

const TOKEN = /\{\{date(?:([+-]\d+))?(?::([^}]+))?\}\}/g;

/**
 * Fills the {{date±N:format}} tokens of a sample against today's date in Copenhagen. Meetings fall on
 * weekdays: a date on a Saturday or Sunday moves to the Monday after.
 */
export function renderSample(text: string, now: Date = new Date()): string {
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day').setLocale('da');
  return text.replace(TOKEN, (_m, offset: string | undefined, format: string | undefined) => {
    let d = today.plus({ days: Number(offset ?? 0) });
    if (d.weekday > 5) d = d.plus({ days: 8 - d.weekday });
    return d.toFormat(format ?? 'yyyy-MM-dd');
  });
}

export interface DemoResult {
  loaded: boolean;
  /** Why nothing was loaded. */
  reason?: string;
  forumId?: string;
  results: ImportResult[];
}

/**
 * Loads the samples into a store that holds no other forum's meetings (run again, it refreshes the
 * dated-from-today documents and changes nothing else). A store with real minutes is left alone.
 */
export async function loadDemoData(db: Db, opts: { now?: Date; dir?: string; parse?: ImportOptions['parse'] } = {}): Promise<DemoResult> {
  const others = await db.query<{ n: number }>(
    `select count(*)::int n from meetings m join forums f on f.id = m.forum_id where f.name <> $1`,
    [DEMO_FORUM.name],
  );
  if (others.rows[0].n > 0) return { loaded: false, reason: 'the store already holds meetings of other forums', results: [] };
  await ensureKnownForums(db);
  const forum = await db.transaction(async (tx) => {
    const f = await getOrCreateForum(tx, DEMO_FORUM.name, DEMO_FORUM);
    await addForumNames(tx, f.id, DEMO_FORUM);
    return f;
  });
  const dir = opts.dir ?? SAMPLES_DIR;
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(txt|html?|docx|pdf)$/i.test(f))
    .sort();
  const results: ImportResult[] = [];
  for (const name of files) {
    const raw = fs.readFileSync(path.join(dir, name));
    const isTemplate = /\.(txt|html?)$/i.test(name) && raw.includes('{{date');
    const data = isTemplate ? Buffer.from(renderSample(raw.toString('utf8'), opts.now), 'utf8') : raw;
    if (isTemplate) await dropEarlierVersions(db, name, sha256(data));
    results.push(await importDocument(db, { data, fileName: name }, { parse: opts.parse, actor: 'demo' }));
  }
  return { loaded: true, forumId: forum.id, results };
}

/** Removes the meetings that only an earlier rendering of a dated sample made (an agenda dated from another day). */
async function dropEarlierVersions(db: Db, fileName: string, currentSha: string): Promise<void> {
  const stale = await db.query<{ meeting_id: string }>(
    `select distinct d.meeting_id from documents d
     where d.file_name = $1 and d.sha256 <> $2 and d.meeting_id is not null
       and not exists (select 1 from documents o where o.meeting_id = d.meeting_id and o.file_name <> $1)`,
    [fileName, currentSha],
  );
  for (const { meeting_id } of stale.rows) await db.transaction((tx) => deleteMeeting(tx, meeting_id, { withDocuments: true }));
  await db.query('delete from documents where file_name = $1 and sha256 <> $2 and meeting_id is null', [fileName, currentSha]);
}
