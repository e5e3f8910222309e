import pino from 'pino';

/** Structured logs on stderr (stdout belongs to --json output). */
export const log = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
  pino.destination(2),
);
export type Logger = pino.Logger;
