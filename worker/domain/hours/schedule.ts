/**
 * Business hours as stored on an integration (a JSON column) and as the API takes them: one zod schema
 * with its maxima (worker/shared/business-hours.ts), read back leniently so a bad stored value closes
 * nothing rather than breaking webhooks.
 */
import { BusinessHoursSchema, type BusinessHours } from '../../shared/business-hours';

/** Checks a schedule from outside (the API): the parsed value, or zod's issues. */
export function validateSchedule(input: unknown) {
  return BusinessHoursSchema.safeParse(input);
}

const parsedRows = new Map<string, BusinessHours | null>();
const MAX_PARSED = 500;

/**
 * The schedule stored on an integration row; null when none is set (always open) or the stored JSON does
 * not validate. Parsed once per distinct value per isolate: the webhook reads it on every client message.
 */
export function scheduleFromColumn(json: string | null | undefined): BusinessHours | null {
  if (!json) return null;
  const hit = parsedRows.get(json);
  if (hit !== undefined) return hit;
  let value: BusinessHours | null = null;
  try {
    const parsed = validateSchedule(JSON.parse(json));
    value = parsed.success ? parsed.data : null;
  } catch {
    value = null;
  }
  if (parsedRows.size >= MAX_PARSED) parsedRows.clear();
  parsedRows.set(json, value);
  return value;
}
