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

/** The options every command that reads a folder shares. */
export interface CommonArgs {
  format: string;
  output: string | undefined;
  exclude: string[];
  config: string | undefined;
  noConfig: boolean;
}

/** Takes one of the {@link CommonArgs} options into `args`; false for any other option. */
export function commonOption(flag: string, value: () => string, args: CommonArgs): boolean {
  switch (flag) {
    case '--format':
    case '-f':
      args.format = value();
      return true;
    case '--output':
    case '-o':
      args.output = value();
      return true;
    case '--exclude':
      args.exclude.push(value());
      return true;
    case '--config':
      args.config = value();
      return true;
    case '--no-config':
      args.noConfig = true;
      return true;
    default:
      return false;
  }
}
