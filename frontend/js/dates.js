// Calendar arithmetic on YYYY-MM-DD strings, in UTC.

const DAY = 86400000;

export const toDay = (iso) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const fromDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
/** Monday of the ISO week of a day number. */
export const weekStart = (n) => n - ((n + 3) % 7);
