/** Cold history (messages of long-closed chats kept in R2): the move, reading back, the retention setting. */
export { archiveColdHistory, ARCHIVE_LIMITS, retentionCutoff, type ArchiveLimits, type ArchiveReport } from './archive-run';
export type { MoveDeps } from './move-chat';
export { archivedMessagesBefore, searchArchivedParts } from './read';
export { matchArchivedText, queryTerms } from './text-match';
export { defaultRetentionMonths, historySettings, MAX_ARCHIVE_AFTER_MONTHS, retentionMonths, setRetentionMonths } from './retention';
export { partKey, readPart, type ArchivedMessage } from './part-object';
