// Decides what kind of file a path holds, by name first and by content when the name is not enough.

export type FileFormat =
  | 'terraform'
  | 'tfvars'
  | 'terraform-json'
  | 'cloudformation'
  | 'kubernetes'
  | 'dockerfile'
  | 'compose'
  | 'appconfig';

/** The formats the engine analyses today; the others are detected so that the model can grow into them. */
export const ANALYSED_FORMATS: ReadonlySet<FileFormat> = new Set(['terraform', 'tfvars', 'dockerfile', 'kubernetes', 'compose']);

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/**
 * Detects the format of a file. `text` may be omitted (or partial) when only the name is known; content
 * sniffing looks at the first 64 KiB only, so huge files cost nothing here.
 */
export function detectFormat(path: string, text?: string): FileFormat | undefined {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (lower.endsWith('.tf')) return 'terraform';
  if (lower.endsWith('.tfvars')) return 'tfvars';
  if (lower.endsWith('.tf.json') || lower.endsWith('.tfvars.json')) return 'terraform-json';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile') return 'dockerfile';
  if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(lower)) return 'compose';
  if (lower === '.env' || lower.startsWith('.env.') || /^application([-.][\w-]+)?\.(properties|ya?ml)$/.test(lower) || /^appsettings([.\w-]+)?\.json$/.test(lower)) return 'appconfig';
  const isYaml = lower.endsWith('.yaml') || lower.endsWith('.yml');
  const isJson = lower.endsWith('.json') || lower.endsWith('.template');
  if (!(isYaml || isJson) || text === undefined) return undefined;
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  if (/AWSTemplateFormatVersion/.test(head) || /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/.test(head)) return 'cloudformation';
  // Helm and other Go templates (`{{ .Values.x }}`) are not manifests until rendered: they are not analysed.
  if (isYaml && /\{\{-?\s*[-.$a-zA-Z(/"]/.test(head)) return undefined;
  // A manifest in YAML (keys at line starts) or JSON (keys after `{` or `,`).
  if (/(^|\n|[{,])\s*["']?apiVersion["']?\s*:/.test(head) && /(^|\n|[{,])\s*["']?kind["']?\s*:/.test(head)) return 'kubernetes';
  if (isYaml && /(^|\n)services\s*:/.test(head) && /(^|\n)\s+(image|build)\s*:/.test(head)) return 'compose';
  return undefined;
}
