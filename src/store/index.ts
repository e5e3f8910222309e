/**
 * The store's public surface (see docs/store.md). Other capabilities import from here; SQL stays in src/store.
 */
export { openDb, migrate, type Db, type Queryable, type DbOptions } from './db';
export {
  KNOWN_FORUMS,
  addForumNames,
  ensureKnownForums,
  findForumMentions,
  foldName,
  forumKey,
  getForum,
  getOrCreateForum,
  listForums,
  matchForum,
  resolveForum,
  type Forum,
  type ForumMention,
} from './forums';
export {
  deleteMeeting,
  findMeetingFor,
  getMeeting,
  listMeetings,
  mergeMeetings,
  planMeeting,
  planStatedNextMeeting,
  upcomingMeetings,
  writeMeeting,
  type ListMeetingsOptions,
  type MeetingOrigin,
  type MeetingSummary,
  type PlanArgs,
  type PlanResult,
  type StoredMeeting,
  type WriteMeetingArgs,
} from './meetings';
export {
  MAX_DOCUMENT_BYTES,
  addImportHook,
  checkDocumentBytes,
  expandInputs,
  findDocument,
  importDocument,
  importFiles,
  parseChecked,
  readDocumentFile,
  sha256,
  type ImportError,
  type ImportEvent,
  type ImportHook,
  type ImportInput,
  type ImportOptions,
  type ImportResult,
  type ParseFn,
} from './import';
export { importIcs, parseIcs, type IcsEvent } from './ics';
export { DEMO_FORUM, SAMPLES_DIR, loadDemoData, renderSample, type DemoResult } from './demo';
export { ZONE, localDate, parseMeetingTime, toLocalIso, type MeetingTime } from './time';
