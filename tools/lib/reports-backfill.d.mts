export function backfillStatements(source: string): { reset: string[]; replay: (from: number, to: number) => string[] };
export function replayWindows(min: number, max: number, stepMs?: number): [number, number][];
export function backfillWithWrangler(where: string[], opts?: { remote?: boolean; log?: (line: string) => void }): Promise<{ windows: number; timedInBusinessHours: number }>;
