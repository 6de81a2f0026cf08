/**
 * Backup, snapshot and maintenance windows as RDS and ElastiCache write them (UTC):
 * daily `hh:mm-hh:mm`, weekly `ddd:hh:mm-ddd:hh:mm`. Both may wrap past midnight (or Sunday).
 * Windows are placed on one week of minutes so a daily window can be checked against a weekly one.
 */

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** Minutes since the window's reference point (midnight, or Monday midnight) and its length. */
export interface Window {
    startMinute: number;
    lengthMinutes: number;
    /** What the window repeats over: a day or a week. */
    periodMinutes: number;
}

function minuteOf(hours: string, minutes: string): number {
    return Number(hours) * 60 + Number(minutes);
}

/** Length of a span that may wrap around its period; a start equal to its end is a full period, which AWS refuses. */
function span(start: number, end: number, period: number): number {
    return (end - start + period) % period;
}

export function parseDailyWindow(text: string): Window | undefined {
    const match = DAILY.exec(text);
    if (!match) {
        return undefined;
    }
    const start = minuteOf(match[1], match[2]);
    return { startMinute: start, lengthMinutes: span(start, minuteOf(match[3], match[4]), MINUTES_PER_DAY), periodMinutes: MINUTES_PER_DAY };
}

export function parseWeeklyWindow(text: string): Window | undefined {
    const match = WEEKLY.exec(text.toLowerCase());
    if (!match) {
        return undefined;
    }
    const at = (day: string, hours: string, minutes: string) => DAYS.indexOf(day as (typeof DAYS)[number]) * MINUTES_PER_DAY + minuteOf(hours, minutes);
    const start = at(match[1], match[2], match[3]);
    return { startMinute: start, lengthMinutes: span(start, at(match[4], match[5], match[6]), MINUTES_PER_WEEK), periodMinutes: MINUTES_PER_WEEK };
}

/** Every occurrence of the window in one week, as [start, end) minute pairs (end may pass the week's end). */
function occurrences(window: Window): Array<[number, number]> {
    const repeats = MINUTES_PER_WEEK / window.periodMinutes;
    return Array.from({ length: repeats }, (_, i) => {
        const start = window.startMinute + i * window.periodMinutes;
        return [start, start + window.lengthMinutes] as [number, number];
    });
}

/** True when the two windows share a minute in some week, wrap-arounds included. */
export function windowsOverlap(a: Window, b: Window): boolean {
    const shifted = (pairs: Array<[number, number]>) => pairs.flatMap(([s, e]) => [[s, e], [s + MINUTES_PER_WEEK, e + MINUTES_PER_WEEK]] as Array<[number, number]>);
    const first = shifted(occurrences(a));
    const second = shifted(occurrences(b));
    return first.some(([s1, e1]) => second.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
