/**
 * Wire shape of an integration's business hours: its IANA time zone, weekly ranges, holidays and the
 * out-of-office text. Validated here once (the API and the stored column alike); the domain that reads
 * it is worker/domain/hours.
 */
import { z } from '@hono/zod-openapi';

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

export const MAX_RANGES_PER_DAY = 6;
export const MAX_HOLIDAYS = 100;
export const MAX_OUT_OF_OFFICE_TEXT = 4000;

/** Whether the runtime's Intl knows this IANA zone (no zone table of our own). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');

export const HoursRangeSchema = z
  .object({
    from: Clock,
    to: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00–24:00'),
  })
  .strict()
  .refine((r) => r.from !== r.to && !(r.from === '00:00' && r.to === '00:00'), { message: 'A range cannot start and end at the same time (use 00:00–24:00 for a whole day)' })
  .openapi('HoursRange', { description: 'Local wall-clock times; `to` earlier than `from` runs past midnight into the next day (22:00–02:00)' });
export type HoursRange = z.infer<typeof HoursRangeSchema>;

const DayRanges = z.array(HoursRangeSchema).max(MAX_RANGES_PER_DAY).default([]);

export const BusinessHoursSchema = z
  .object({
    timeZone: z.string().min(1).max(64).refine(isKnownTimeZone, { message: 'Not an IANA time zone' })
      .openapi({ example: 'America/Sao_Paulo' }),
    weekly: z.object(Object.fromEntries(weekdays.map((d) => [d, DayRanges])) as Record<Weekday, typeof DayRanges>).strict()
      .default(() => Object.fromEntries(weekdays.map((d) => [d, []])) as unknown as Record<Weekday, HoursRange[]>)
      .openapi({ description: `Per weekday up to ${MAX_RANGES_PER_DAY} ranges; a day left out or empty is closed` }),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isCalendarDate, { message: 'Not a calendar date' }))
      .max(MAX_HOLIDAYS)
      .refine((list) => new Set(list).size === list.length, { message: 'A holiday is listed twice' })
      .default([])
      .openapi({ description: `Dates (YYYY-MM-DD, in the integration's zone) closed all day, up to ${MAX_HOLIDAYS}` }),
    outOfOfficeText: z.string().max(MAX_OUT_OF_OFFICE_TEXT).default('')
      .openapi({ description: 'Sent outside hours instead of the auto-reply, once per burst; empty = send nothing outside hours' }),
  })
  .strict()
  .openapi('BusinessHours');
export type BusinessHours = z.output<typeof BusinessHoursSchema>;
/** What a client may send: days, holidays and the text may be left out. */
export type BusinessHoursInput = z.input<typeof BusinessHoursSchema>;
