/**
 * P7 reports (issue 18): GET /api/reports/overview over gen-data's inbox (100k chats, 1M messages over
 * a year: about 25k chats in 90 days), read from the rollups the backfill filled. Target p95 ≤ 50 ms.
 */
const DAY = 86_400_000;
const date = (t) => new Date(t).toISOString().slice(0, 10);

/** The report cases for benchQueries: 90 days in a whole-hour zone, filtered ways, 30 days, the CSV. */
export function reportCases({ cookies, ids }) {
  const to = date(Date.now());
  const from90 = date(Date.now() - 89 * DAY);
  const from30 = date(Date.now() - 29 * DAY);
  const q = (from, extra = '') => `from=${from}&to=${to}&tz=America%2FSao_Paulo${extra}`;
  return [
    { name: 'report overview, 90 days (≤ 50 ms)', cookie: cookies.admin, path: () => `/api/reports/overview?${q(from90)}` },
    { name: 'report overview, 90 days, one integration', cookie: cookies.admin, path: () => `/api/reports/overview?${q(from90, `&integrationId=${ids.integration}`)}` },
    { name: 'report overview, 90 days, one manager', cookie: cookies.employee, path: () => `/api/reports/overview?${q(from90, `&userId=${ids.employee}`)}` },
    { name: 'report overview, 30 days', cookie: cookies.admin, path: () => `/api/reports/overview?${q(from30)}` },
    { name: 'report overview, 366 days', cookie: cookies.admin, path: () => `/api/reports/overview?from=${date(Date.now() - 365 * DAY)}&to=${to}` },
    { name: 'report CSV export, 90 days', cookie: cookies.admin, path: () => `/api/reports/export.csv?${q(from90)}` },
  ];
}
