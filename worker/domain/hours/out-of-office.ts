/**
 * What a client message outside business hours gets. Outside hours the auto-reply is never sent (it
 * promises a quick answer); the out-of-office text is, once per burst.
 *
 * A burst is the client's messages while the chat waits: an out-of-office reply starts one, and it ends
 * when a manager replies in the chat or OUT_OF_OFFICE_BURST_MS after that reply. So a client message
 * outside hours gets the text unless the chat already got one in the last 12 hours with no manager reply
 * since (ingest reads exactly that: the chat row's `outOfOfficeAt` in ingest/reader.ts, and the known-chat guard).
 */
import { isOpenAt } from './open-time';
import { scheduleFromColumn } from './schedule';

export const OUT_OF_OFFICE_BURST_MS = 12 * 3_600_000;

export type HoursVerdict = { open: true } | { open: false; outOfOfficeText: string };

/** Open or closed at `t` for an integration's stored business hours (none set = always open). */
export function hoursAt(businessHoursColumn: string | null | undefined, t: number): HoursVerdict {
  const schedule = scheduleFromColumn(businessHoursColumn);
  if (!schedule || isOpenAt(schedule, t)) return { open: true };
  return { open: false, outOfOfficeText: schedule.outOfOfficeText };
}
