// Base images name a version: a tag other than `latest`, or a digest.

import { defineDockerfileRule } from '../../engine/rule';
import { expand, globalArgs, isLiteral } from './_docker';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile/base-image-unpinned',
    platform: 'dockerfile',
    title: 'Base images are pinned to a version',
    severity: 'warning',
    controls: ['12.6.1', '12.1.2', '15.1.3'],
    messages: {
      untagged: 'FROM {{image}} names no tag or digest, so it means "latest", whatever that is on the day of the build.',
      latest: 'FROM {{image}} uses the "latest" tag, which moves: two builds of the same file can ship different images.',
    },
    fixable: false,
    docs: {
      summary:
        'An image built on "latest" changes under you: a rebuild may pull a new major version, break, or bring in a vulnerable release nobody reviewed, and a scan of yesterday\'s image says nothing about today\'s. Pin the base image to a version tag, or better a digest, and update it on purpose.',
    },
    equivalents: {
      checkov: ['CKV_DOCKER_7'],
      trivy: ['AVD-DS-0001', 'DS-0001', 'docker-use-specific-tags'],
      kics: ['9efb0b2d-89c9-41a3-91ca-dcc0aec911fd', 'f45ea400-6bbe-4501-9fc7-1c3d75c32067'],
    },
    resourceTypes: ['FROM'],
  },
  check(ctx) {
    const { doc } = ctx;
    const args = globalArgs(doc);
    const aliases = new Set<string>();
    for (const stage of doc.stages) {
      const written = stage.image;
      if (written && stage.imageSpan) {
        // A variable without a known default is unknown: never a finding.
        const image = isLiteral(written) ? written : expand(written, args);
        const lower = image?.toLowerCase();
        if (image && lower !== 'scratch' && !aliases.has(lower!) && !image.includes('@')) {
          const lastSegment = image.slice(image.lastIndexOf('/') + 1);
          const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
          if (tag === undefined || tag.toLowerCase() === 'latest') {
            ctx.report({
              span: { start: stage.from.start, end: stage.from.end },
              messageId: tag === undefined ? 'untagged' : 'latest',
              data: { image },
              subject: { type: 'FROM', name: image, address: `FROM ${image}` },
            });
          }
        }
      }
      if (stage.alias) aliases.add(stage.alias.toLowerCase());
    }
  },
});
