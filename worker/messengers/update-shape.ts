/**
 * What both parsers share: JSON without exceptions, caps on the strings an update may carry, and a
 * short reason from a zod error. Real updates are far below the caps (a Telegram text is at most 4,096
 * characters, a Viber text 7,000); the caps keep every D1 statement an update leads to well under its
 * 100 KB limit, so a hostile or broken body cannot turn into a failed write and a 5xx.
 */
import { z } from 'zod';

export const CAP = {
  /** Message texts and captions. */
  text: 16_384,
  /** Names, usernames, file names, languages, phone numbers. */
  name: 256,
  /** The messengers' ids and file references, and URLs. */
  ref: 4_096,
  /** Kinds and statuses (chat type, member status, Viber event and message type). */
  word: 64,
} as const;

export const text = () => z.string().max(CAP.text);
export const name = () => z.string().max(CAP.name);
export const ref = () => z.string().max(CAP.ref);
export const word = () => z.string().max(CAP.word);
/** Telegram's Unix seconds and Viber's Unix milliseconds, up to the year 5000 or so (never Infinity once scaled). */
export const unixSeconds = () => z.number().min(0).max(1e11);
export const unixMillis = () => z.number().min(0).max(1e14);

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(rawBody: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(rawBody) };
  } catch {
    return undefined;
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first few problems of a failed shape check, one line, bounded. */
export function shapeProblems(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ').slice(0, 500);
}
