// Debounced, coalesced re-queries of the server for the views' stores.

/** How long a burst of change notifications is gathered before a view re-queries. */
export const REFRESH_DEBOUNCE_MS = 60;

/**
 * Runs `load` at most once at a time. `refresh()` resolves once data asked for after the call has arrived:
 * calls during a run share one more run after it, so a caller never sees the data of before its request.
 */
export class Refresher {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resolveLoaded: () => void = () => undefined;
  /** Resolves once the store has had its first answer (or knows there will be none): see {@link markLoaded}. */
  readonly loaded: Promise<void> = new Promise((resolve) => (this.resolveLoaded = resolve));

  constructor(private readonly load: () => Promise<void>) {}

  /** The store has data, or the server has stopped: whoever waits for the first load may go on. */
  markLoaded(): void {
    this.resolveLoaded();
  }

  /** Re-queries soon, gathering bursts of notifications into one run. */
  schedule(delay = REFRESH_DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }

  refresh(): Promise<void> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.refresh();
      });
      return this.next;
    }
    this.running = this.load()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
