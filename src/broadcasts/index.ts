/** The broadcasts capability's public API (see docs/broadcasts-api.md). No botbuilder here. */
export * from './types';
export * from './conversations';
export * from './outbox';
export * from './throttle';
export * from './retry';
export * from './worker';
export * from './cards';
export * from './ics';
export * from './service';
export * from './reports';
export * from './hooks';
