import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessMillisBetween, isOpenAt, validateSchedule, zoneOffset, type Schedule } from '../../../worker/domain/hours';
import { MAX_HOLIDAYS, MAX_OUT_OF_OFFICE_TEXT, MAX_RANGES_PER_DAY, type BusinessHoursInput } from '../../../worker/shared/business-hours';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const weekdays9to18 = { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], wed: [{ from: '09:00', to: '18:00' }], thu: [{ from: '09:00', to: '18:00' }], fri: [{ from: '09:00', to: '18:00' }] };

function schedule(input: BusinessHoursInput): Schedule {
  const parsed = validateSchedule(input);
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data;
}

describe('business hours: daylight saving', () => {
  const saoPaulo = schedule({ timeZone: 'America/Sao_Paulo', weekly: weekdays9to18 });

  it('America/Sao_Paulo 2018-11-04 (clocks 00:00 → 01:00): 09:30 is a different UTC hour on each side', () => {
    expect(zoneOffset('America/Sao_Paulo', at('2018-11-02T12:00:00Z'))).toBe(-3 * H);
    expect(zoneOffset('America/Sao_Paulo', at('2018-11-05T12:00:00Z'))).toBe(-2 * H);
    // Friday before: 09:30 local is 12:30Z; 11:30Z is still 08:30 local.
    expect(isOpenAt(saoPaulo, at('2018-11-02T12:30:00Z'))).toBe(true);
    expect(isOpenAt(saoPaulo, at('2018-11-02T11:30:00Z'))).toBe(false);
    // Monday after: 09:30 local is 11:30Z; 20:30Z is 18:30 local, closed, though it was 17:30 before the switch.
    expect(isOpenAt(saoPaulo, at('2018-11-05T11:30:00Z'))).toBe(true);
    expect(isOpenAt(saoPaulo, at('2018-11-05T20:30:00Z'))).toBe(false);
    expect(isOpenAt(saoPaulo, at('2018-11-02T20:30:00Z'))).toBe(true);
  });

  it('America/Sao_Paulo: the hour that never happened (2018-11-04 00:00–01:00) is not business time', () => {
    const sundayNight = schedule({ timeZone: 'America/Sao_Paulo', weekly: { sun: [{ from: '00:00', to: '02:00' }] } });
    expect(businessMillisBetween(sundayNight, at('2018-11-03T00:00:00Z'), at('2018-11-06T00:00:00Z'))).toBe(1 * H);
    // 01:30 local (-02:00) is 03:30Z: open; 02:30 local is 04:30Z: closed.
    expect(isOpenAt(sundayNight, at('2018-11-04T03:30:00Z'))).toBe(true);
    expect(isOpenAt(sundayNight, at('2018-11-04T04:30:00Z'))).toBe(false);
  });

  it('America/Sao_Paulo 2019-02-16 (24:00 → 23:00): the repeated 23:00 hour is open both times', () => {
    const saturdayLate = schedule({ timeZone: 'America/Sao_Paulo', weekly: { sat: [{ from: '23:00', to: '24:00' }] } });
    expect(isOpenAt(saturdayLate, at('2019-02-17T01:30:00Z'))).toBe(true); // 23:30 −02:00
    expect(isOpenAt(saturdayLate, at('2019-02-17T02:30:00Z'))).toBe(true); // 23:30 −03:00, again
    expect(isOpenAt(saturdayLate, at('2019-02-17T03:30:00Z'))).toBe(false); // Sunday 00:30
    expect(businessMillisBetween(saturdayLate, at('2019-02-16T00:00:00Z'), at('2019-02-18T00:00:00Z'))).toBe(2 * H);
    // A weekday on each side of that switch: Friday 09:30 is 11:30Z, Monday 09:30 is 12:30Z.
    expect(isOpenAt(saoPaulo, at('2019-02-15T11:30:00Z'))).toBe(true);
    expect(isOpenAt(saoPaulo, at('2019-02-18T11:30:00Z'))).toBe(false);
    expect(isOpenAt(saoPaulo, at('2019-02-18T12:30:00Z'))).toBe(true);
  });

  it('Europe/Lisbon 2026-03-29 (01:00 → 02:00) and 2026-10-25 (02:00 → 01:00)', () => {
    const lisbon = schedule({ timeZone: 'Europe/Lisbon', weekly: { ...weekdays9to18, sun: [{ from: '00:00', to: '03:00' }] } });
    expect(businessMillisBetween(lisbon, at('2026-03-29T00:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(2 * H);
    expect(businessMillisBetween(lisbon, at('2026-10-24T20:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(4 * H);
    // Friday before the spring switch 09:30 local = 09:30Z; Monday after 09:30 local = 08:30Z.
    expect(isOpenAt(lisbon, at('2026-03-27T09:30:00Z'))).toBe(true);
    expect(isOpenAt(lisbon, at('2026-03-27T08:30:00Z'))).toBe(false);
    expect(isOpenAt(lisbon, at('2026-03-30T08:30:00Z'))).toBe(true);
    expect(isOpenAt(lisbon, at('2026-03-30T17:30:00Z'))).toBe(false);
    // Autumn: Friday 17:30Z is 18:30 WEST (closed), Monday 17:30Z is 17:30 WET (open).
    expect(isOpenAt(lisbon, at('2026-10-23T17:30:00Z'))).toBe(false);
    expect(isOpenAt(lisbon, at('2026-10-26T17:30:00Z'))).toBe(true);
  });
});

describe('business hours: ranges and holidays', () => {
  it('several ranges a day, with a lunch break', () => {
    const s = schedule({ timeZone: 'UTC', weekly: { mon: [{ from: '14:00', to: '18:00' }, { from: '09:00', to: '12:00' }] } });
    expect(isOpenAt(s, at('2026-11-30T10:00:00Z'))).toBe(true);
    expect(isOpenAt(s, at('2026-11-30T12:00:00Z'))).toBe(false);
    expect(isOpenAt(s, at('2026-11-30T13:59:59Z'))).toBe(false);
    expect(isOpenAt(s, at('2026-11-30T14:00:00Z'))).toBe(true);
    expect(isOpenAt(s, at('2026-11-30T18:00:00Z'))).toBe(false);
    expect(businessMillisBetween(s, at('2026-11-30T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toBe(7 * H);
  });

  it('a range over midnight belongs to the day it starts', () => {
    const s = schedule({ timeZone: 'America/Sao_Paulo', weekly: { fri: [{ from: '22:00', to: '02:00' }] } });
    expect(isOpenAt(s, at('2026-12-05T00:59:00Z'))).toBe(false); // Fri 21:59
    expect(isOpenAt(s, at('2026-12-05T01:00:00Z'))).toBe(true); // Fri 22:00
    expect(isOpenAt(s, at('2026-12-05T04:30:00Z'))).toBe(true); // Sat 01:30
    expect(isOpenAt(s, at('2026-12-05T05:00:00Z'))).toBe(false); // Sat 02:00
    expect(isOpenAt(s, at('2026-12-06T04:30:00Z'))).toBe(false); // Sun 01:30: Saturday has no range
    expect(businessMillisBetween(s, at('2026-11-30T00:00:00Z'), at('2026-12-07T00:00:00Z'))).toBe(4 * H);
  });

  it('a holiday closes its date, and a night range does not start on it', () => {
    const s = schedule({
      timeZone: 'America/Sao_Paulo', holidays: ['2026-12-25'],
      weekly: { ...weekdays9to18, thu: [{ from: '09:00', to: '18:00' }, { from: '22:00', to: '02:00' }], fri: [{ from: '09:00', to: '18:00' }, { from: '22:00', to: '02:00' }] },
    });
    expect(isOpenAt(s, at('2026-12-24T13:00:00Z'))).toBe(true); // Thu 10:00
    expect(isOpenAt(s, at('2026-12-25T02:00:00Z'))).toBe(true); // Thu 23:00
    expect(isOpenAt(s, at('2026-12-25T04:00:00Z'))).toBe(false); // Fri 01:00, the holiday
    expect(isOpenAt(s, at('2026-12-25T13:00:00Z'))).toBe(false); // Fri 10:00, the holiday
    expect(isOpenAt(s, at('2026-12-26T04:00:00Z'))).toBe(false); // Sat 01:00, after the holiday's night range
    expect(isOpenAt(s, at('2027-01-01T13:00:00Z'))).toBe(true); // the next Friday
    expect(businessMillisBetween(s, at('2026-12-24T03:00:00Z'), at('2026-12-27T03:00:00Z'))).toBe(9 * H + 2 * H);
  });

  it('a whole day is 00:00–24:00; a week with nothing set is always closed', () => {
    const allDay = schedule({ timeZone: 'Europe/Lisbon', weekly: { sat: [{ from: '00:00', to: '24:00' }] } });
    expect(businessMillisBetween(allDay, at('2026-11-27T00:00:00Z'), at('2026-12-04T00:00:00Z'))).toBe(24 * H);
    const never = schedule({ timeZone: 'UTC' });
    expect(isOpenAt(never, Date.now())).toBe(false);
    expect(businessMillisBetween(never, 0, at('2026-01-01T00:00:00Z'))).toBe(0);
  });
});

describe('businessMillisBetween', () => {
  it('over a weekend counts only the working hours', () => {
    const s = schedule({ timeZone: 'America/Sao_Paulo', weekly: weekdays9to18 });
    // Friday 17:00 → Monday 10:00 local: 1 h on Friday, 1 h on Monday.
    expect(businessMillisBetween(s, at('2026-12-04T20:00:00Z'), at('2026-12-07T13:00:00Z'))).toBe(2 * H);
    expect(businessMillisBetween(s, at('2026-12-07T13:00:00Z'), at('2026-12-04T20:00:00Z'))).toBe(0);
    expect(businessMillisBetween(s, Number.NaN, at('2026-12-04T20:00:00Z'))).toBe(0);
    expect(() => businessMillisBetween(s, 0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('across a DST switch: a weekend with 63 real hours still leaves 2 business hours', () => {
    const lisbon = schedule({ timeZone: 'Europe/Lisbon', weekly: weekdays9to18 });
    const from = at('2026-03-27T17:00:00Z'); // Fri 17:00 WET
    const to = at('2026-03-30T09:00:00Z'); // Mon 10:00 WEST
    expect(to - from).toBe(64 * H);
    expect(businessMillisBetween(lisbon, from, to)).toBe(2 * H);
    // A week over the autumn switch: 5 × 9 h.
    expect(businessMillisBetween(lisbon, at('2026-10-19T00:00:00Z'), at('2026-10-31T00:00:00Z'))).toBe(10 * 9 * H);
  });

  it('agrees with isOpenAt minute by minute across both Lisbon switches, and adds up over any split', () => {
    const s = schedule({
      timeZone: 'Europe/Lisbon', holidays: ['2026-03-31'],
      weekly: { sat: [{ from: '23:30', to: '01:30' }], sun: [{ from: '00:45', to: '02:15' }, { from: '20:00', to: '03:00' }], mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }] },
    });
    for (const [a, b] of [['2026-03-28T00:00:00Z', '2026-04-01T00:00:00Z'], ['2026-10-24T00:00:00Z', '2026-10-28T00:00:00Z']]) {
      let open = 0;
      for (let t = at(a); t < at(b); t += 60_000) if (isOpenAt(s, t)) open += 60_000;
      expect(open).toBeGreaterThan(0);
      expect(businessMillisBetween(s, at(a), at(b))).toBe(open);
    }
    const span = fc.integer({ min: at('2026-03-20T00:00:00Z'), max: at('2026-11-05T00:00:00Z') });
    fc.assert(fc.property(span, span, span, (x, y, z) => {
      const [a, b, c] = [x, y, z].sort((p, q) => p - q);
      expect(businessMillisBetween(s, a, c)).toBe(businessMillisBetween(s, a, b) + businessMillisBetween(s, b, c));
    }), { numRuns: 60 });
  });
});

describe('validateSchedule', () => {
  const day = (n: number) => Array.from({ length: n }, (_, i) => ({ from: `${String(i * 2).padStart(2, '0')}:00`, to: `${String(i * 2 + 1).padStart(2, '0')}:00` }));
  const holidays = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));

  it('takes every maximum and refuses one more', () => {
    const atMax = validateSchedule({ timeZone: 'Europe/Lisbon', weekly: { mon: day(MAX_RANGES_PER_DAY) }, holidays: holidays(MAX_HOLIDAYS), outOfOfficeText: 'x'.repeat(MAX_OUT_OF_OFFICE_TEXT) });
    expect(atMax.success).toBe(true);
    expect(atMax.data!.weekly.sun).toEqual([]);
    expect(validateSchedule({ timeZone: 'UTC', weekly: { mon: day(MAX_RANGES_PER_DAY + 1) } }).success).toBe(false);
    expect(validateSchedule({ timeZone: 'UTC', holidays: holidays(MAX_HOLIDAYS + 1) }).success).toBe(false);
    expect(validateSchedule({ timeZone: 'UTC', outOfOfficeText: 'x'.repeat(MAX_OUT_OF_OFFICE_TEXT + 1) }).success).toBe(false);
  });

  it.each([
    ['an unknown zone', { timeZone: 'America/Atlantis' }],
    ['a date that does not exist', { timeZone: 'UTC', holidays: ['2026-02-30'] }],
    ['a holiday twice', { timeZone: 'UTC', holidays: ['2026-12-25', '2026-12-25'] }],
    ['a range of no length', { timeZone: 'UTC', weekly: { mon: [{ from: '09:00', to: '09:00' }] } }],
    ['24:00 as a start', { timeZone: 'UTC', weekly: { mon: [{ from: '24:00', to: '02:00' }] } }],
    ['a minute past 59', { timeZone: 'UTC', weekly: { mon: [{ from: '09:60', to: '10:00' }] } }],
    ['an unknown day', { timeZone: 'UTC', weekly: { monday: [] } }],
    ['an unknown field', { timeZone: 'UTC', open: true }],
  ])('refuses %s', (_what, input) => {
    expect(validateSchedule(input).success).toBe(false);
  });
});
