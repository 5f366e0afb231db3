/** The satisfaction survey's question as the messengers carry it: used by the survey, the outbox and the adapters' tests. */

/** The buttons under the question: a press comes back as a `choice` with prompt `csat` and the rating as its value. */
export const CSAT_CHOICE = {
  prompt: 'csat',
  options: [1, 2, 3, 4, 5].map((n) => ({ label: String(n), value: String(n) })),
} as const;

/** A rating is accepted for this long after the question, and so is the comment that may follow it. */
export const CSAT_WINDOW_MS = 24 * 3600 * 1000;

/** What the client reads (the bot's texts are not translated yet: like the greeting, one text per bot). */
export const CSAT_TEXTS = {
  question: 'How would you rate our service? Tap a number: 1 = very poor, 5 = excellent.',
  thanks: 'Thank you for your rating! If you like, tell us more in your next message.',
  ackRated: 'Thank you!',
  ackAlreadyRated: 'You have already rated this conversation.',
  ackExpired: 'This survey has closed.',
} as const;
