// Local files are copied with COPY; ADD is kept for what only it does (remote URLs, archives to unpack).

import { defineDockerfileRule } from '../../engine/rule';
import { fix } from './_docker';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma)$/i;

/** True for an ADD source that is plainly a local file or folder (not a URL, not a git repo, not a tar archive). */
function plainLocal(src: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src) || /^git@/.test(src) || ARCHIVE.test(src)) return false;
  // A variable may hold a URL: only names that do not say so count as local.
  if (/\$\{?[A-Za-z_]*(URL|URI|REPO|GIT)/i.test(src)) return false;
  return true;
}

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/add-instead-of-copy',
    platform: 'dockerfile',
    title: 'Local files are added with COPY, not ADD',
    severity: 'info',
    controls: ['15.1.3', '14.2.1'],
    messages: {
      add: 'ADD copies local files here; COPY does the same without ADD\'s implicit downloading and unpacking.',
    },
    fixable: true,
    docs: {
      summary:
        'ADD also fetches URLs and silently unpacks tar archives, so what lands in the image depends on what the source turns out to be. For local files COPY is explicit and predictable; keep ADD for remote sources with a pinned --checksum, or download with a verified tool.',
    },
    equivalents: {
      checkov: ['CKV_DOCKER_4'],
      trivy: ['AVD-DS-0005', 'DS-0005', 'docker-use-copy-over-add'],
      kics: ['9513a694-aa0d-41d8-be61-3271e056f36b'],
    },
    resourceTypes: ['ADD'],
  },
  check(ctx) {
    const { doc } = ctx;
    for (const i of doc.instructions) {
      if (i.keyword !== 'ADD' || i.args.length < 2) continue;
      // JSON form (`ADD ["a", "b"]`) and heredocs are left alone; flags COPY does not know (--checksum, --keep-git-dir) too.
      if (i.argsText.trimStart().startsWith('[') || i.argsText.includes('<<')) continue;
      if (i.flags.some((f) => !['chown', 'chmod', 'link'].includes(f.name))) continue;
      const sources = i.args.slice(0, -1);
      if (!sources.every((s) => plainLocal(s.value))) continue;
      ctx.report({
        span: { start: i.start, end: i.end },
        messageId: 'add',
        subject: { type: 'ADD', name: sources.map((s) => s.value).join(' '), address: `ADD ${sources.map((s) => s.value).join(' ')}` },
        fix: fix(doc, 'Use COPY', i.keywordSpan.start, i.keywordSpan.end, doc.text.slice(i.keywordSpan.start, i.keywordSpan.end) === 'add' ? 'copy' : 'COPY'),
      });
    }
  },
});
