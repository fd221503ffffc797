// Logging to the client's output channel. Log rule ids, paths and counts; never file contents.

import type { Connection } from 'vscode-languageserver/node';

/** Keeps the last few problems that have no place in a file, for the status notification. */
export class Logger {
  private readonly recent: string[] = [];

  constructor(private readonly connection: Connection) {}

  info(message: string): void {
    this.connection.console.info(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  /** Logs an unexpected error; `where` names the handler and, when known, the file path. */
  error(where: string, e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    // Stack frames name our own source, never user data; the message is cut short in case a library quotes input.
    this.connection.console.error(`${where}: ${truncate(err.message)}${err.stack ? `\n${err.stack.split('\n').slice(1, 8).join('\n')}` : ''}`);
  }

  /** Records a problem for the status notification and logs it. */
  problem(message: string): void {
    const m = truncate(message);
    this.recent.push(m);
    if (this.recent.length > 20) this.recent.splice(0, this.recent.length - 20);
    this.connection.console.warn(m);
  }

  /** The recent problems, oldest first. */
  problems(): string[] {
    return [...this.recent];
  }

  clearProblems(): void {
    this.recent.length = 0;
  }
}

function truncate(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 300 ? `${one.slice(0, 297)}...` : one;
}
