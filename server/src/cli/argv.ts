// Command-line words: options with values (`--format json`, `--format=json`) and positional arguments.

/** A mistake in the command line: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

/**
 * Walks the words of a command line. `onOption` gets each option and a function that takes its value (from
 * `--flag=value` or the next word); it returns false for an option it does not know. Other words go to
 * `onPositional`.
 */
export function walkArgs(argv: readonly string[], onOption: (flag: string, value: () => string) => boolean, onPositional: (word: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return v;
    };
    if (a.startsWith('-') && a !== '-') {
      if (!onOption(flag, value)) throw new UsageError(`unknown option ${a}`);
    } else onPositional(a);
  }
}
