// The date the server and the CLI hand to the engine (which has no clock) to judge suppression expiries.

/** Today in the local time zone, `YYYY-MM-DD`. */
export function today(d = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
