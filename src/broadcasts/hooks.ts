import type { Config } from '../config';
import { addImportHook } from '../store/import';
import { onMeetingImported, type BroadcastSettings } from './service';

/** Settings of the broadcasts capability, from the configuration. */
export function broadcastSettings(config: Config): BroadcastSettings {
  return {
    baseUrl: config.PUBLIC_BASE_URL,
    autoPostMinutes: config.AUTO_POST_MINUTES,
    reminderOffsets: config.MEETING_REMINDER_OFFSETS,
  };
}

let current: BroadcastSettings | null = null;
let installed = false;

/**
 * Installs the import hook once per process (serve and the CLI both call this); the latest settings win.
 * Every import (chat, CLI, tab) then keeps posted cards current and auto-posts minutes when configured.
 */
export function installImportHook(settings: BroadcastSettings): void {
  current = settings;
  if (installed) return;
  installed = true;
  addImportHook(async (tx, event) => {
    if (current) await onMeetingImported(tx, event, current);
  });
}
