// Compose services do not mount the Docker socket or the host's system folders.

import { isMap, isScalar } from 'yaml';
import { defineComposeRule } from '../../engine/rule';
import { pairOf, scalarAt, seqAt, serviceSubject, spanOf } from './_compose';

const SOCKET = /^\/(var\/)?run\/(docker|containerd\/containerd|crio\/crio|podman\/podman)\.sock$/;
const SYSTEM = ['/', '/etc', '/proc', '/sys', '/boot', '/dev', '/root', '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet'];

/** The host side of a short volume (`/host:/container[:mode]`), if it is an absolute path. */
function hostOf(short: string): string | undefined {
  const host = short.split(':')[0]!;
  return host.startsWith('/') ? host : undefined;
}

function classify(path: string): 'socket' | 'system' | undefined {
  const p = path.replace(/\/+$/, '') || '/';
  if (SOCKET.test(p)) return 'socket';
  return SYSTEM.some((s) => p === s || (s !== '/' && p.startsWith(`${s}/`))) ? 'system' : undefined;
}

export default defineComposeRule({
  meta: {
    id: 'compose/sensitive-host-mount',
    platform: 'compose',
    title: 'Compose services do not mount the Docker socket or host system folders',
    severity: 'error',
    controls: ['CLD.9.5.1', '9.4.1', 'CLD.9.5.2'],
    messages: {
      socket: 'Service "{{name}}" mounts the container runtime socket {{path}}: whoever controls the service controls the host\'s containers, and the host.',
      system: 'Service "{{name}}" mounts the host\'s {{path}}: it can read (or change) the host\'s system files.',
    },
    fixable: false,
    docs: {
      summary:
        'The Docker socket lets a container start privileged containers on the host, and host system folders hold its configuration, credentials and kernel interfaces. A compromised service with either owns the machine. Use a socket proxy that allows only the calls needed, or a dedicated agent, and mount application data folders only.',
    },
    equivalents: {
      kics: ['d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b'],
    },
    resourceTypes: ['service'],
  },
  check(ctx) {
    for (const s of ctx.doc.services) {
      for (const v of seqAt(s.node, 'volumes')?.items ?? []) {
        // Short syntax (`/host:/container:ro`) or long syntax (`type: bind`, `source: /host`).
        const path = isScalar(v) ? hostOf(String(v.value)) : isMap(v) && scalarAt(v, 'type') === 'bind' ? String(scalarAt(v, 'source') ?? '') : undefined;
        if (!path) continue;
        const kind = classify(path);
        if (!kind) continue;
        const span = isScalar(v) ? spanOf(v)! : spanOf(pairOf(v as never, 'source')?.value)!;
        ctx.report({ span, messageId: kind, subject: serviceSubject(s), data: { name: s.name, path } });
      }
    }
  },
});
