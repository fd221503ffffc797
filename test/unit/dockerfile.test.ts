// Dockerfiles in the engine: the model, bad input, suppression comments of every syntax, suppression edits.

import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/documents/dockerfile/model';
import { Project } from '../../server/src/engine/project';
import { applyTextEdits } from '../../server/src/engine/fixer';
import { rules } from '../../server/src/rules/index';
import { controls } from './support/project';

const dockerRules = rules.filter((r) => r.meta.platform === 'dockerfile');

function analyse(text: string, name = 'Dockerfile', settings = {}) {
  const p = new Project({ rules: dockerRules, controls: controls(), settings: { now: '2026-06-15', ...settings } });
  p.setFile(`/w/${name}`, text);
  return { p, r: p.analyzeAll() };
}
const ids = (r: { findings: Array<{ ruleId: string; range: { start: { line: number } } }> }) => r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`);

const BASE = 'FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER app\n';

describe('Dockerfile model', () => {
  it('splits stages and keeps offsets on instructions, arguments, flags and properties', () => {
    const text = 'ARG V=1\nFROM node:20 AS build\nCOPY --chown=a:b . /app\nENV A=1 B="two words"\nFROM build\nUSER node\n';
    const d = parseDockerfile('/w/Dockerfile', text);
    assert.deepEqual(d.stages.map((s) => [s.image, s.tag, s.alias, s.instructions.map((i) => i.keyword)]), [
      ['node:20', '20', 'build', ['COPY', 'ENV']],
      ['build', undefined, undefined, ['USER']],
    ]);
    const copy = d.instructions.find((i) => i.keyword === 'COPY')!;
    assert.equal(text.slice(copy.flags[0]!.start, copy.flags[0]!.end), '--chown=a:b');
    const env = d.instructions.find((i) => i.keyword === 'ENV')!;
    assert.deepEqual(env.properties.map((p) => [p.name, p.value]), [['A', '1'], ['B', 'two words']]);
    assert.equal(d.instructions[0]!.stage, -1, 'a global ARG belongs to no stage');
  });

  it('never throws on half-typed, binary or huge input', () => {
    for (const text of ['FROM', 'FROM alpine:3 AS', 'RUN echo \\', 'ENV =', '\u0000\u0001\u0002', 'RUN \\\n\\\n\\', '#'.repeat(100000), 'ENV A="unclosed\n']) {
      assert.doesNotThrow(() => analyse(text), JSON.stringify(text.slice(0, 20)));
    }
    const { r } = analyse('FROM a\u0000\n');
    assert.match(r.errors[0]!.message, /binary/);
    assert.deepEqual(r.findings, []);
    const big = analyse(`FROM alpine:3.20\n${'RUN echo hi\n'.repeat(50000)}`);
    assert.deepEqual(big.r.errors, []);
  });
});

describe('Dockerfile suppressions', () => {
  const root = 'FROM alpine:3.20\nHEALTHCHECK CMD true\n';

  it('our comment covers the instruction it precedes (continuation lines included), with a reason and an expiry', () => {
    const text = `${root}# iso27017:ignore dockerfile/sudo-in-run until=2026-12-31 -- vendor script needs it (OPS-1)\nRUN apt-get update && \\\n    sudo make install\nRUN sudo ls\nUSER app\n`;
    const { r } = analyse(text);
    assert.deepEqual(ids(r), ['6 dockerfile/sudo-in-run']);
    assert.equal(r.suppressed?.length, 1);
    assert.equal(r.suppressed![0]!.suppression.reason, 'vendor script needs it (OPS-1)');
  });

  it('reports a suppression without a reason, or expired, and does not honour it', () => {
    const noReason = analyse(`${root}# iso27017:ignore dockerfile/sudo-in-run\nRUN sudo ls\nUSER app\n`).r;
    assert.deepEqual(ids(noReason).sort(), ['3 iso27017/invalid-suppression', '4 dockerfile/sudo-in-run'].sort());
    const expired = analyse(`${root}# iso27017:ignore dockerfile/sudo-in-run until=2026-01-01 -- old\nRUN sudo ls\nUSER app\n`).r;
    assert.ok(ids(expired).includes('4 dockerfile/sudo-in-run'), JSON.stringify(ids(expired)));
  });

  it('a file-level comment before the first instruction covers the file', () => {
    const { r } = analyse(`# iso27017:ignore-file dockerfile/healthcheck-missing -- probes are set in the Helm chart\nFROM alpine:3.20\nUSER app\n`);
    assert.deepEqual(ids(r), []);
    assert.equal(r.suppressed?.[0]?.finding.ruleId, 'dockerfile/healthcheck-missing');
  });

  it('honours Checkov (whole file, as Checkov reports Dockerfile checks), Trivy and KICS comments through the equivalents', () => {
    const checkov = analyse(`FROM alpine:3.20\n#checkov:skip=CKV_DOCKER_2:probes live in Kubernetes\nUSER app\n`).r;
    assert.deepEqual(ids(checkov), []);
    const trivy = analyse(`${root}# trivy:ignore:AVD-DS-0004\nEXPOSE 22\nUSER app\n`).r;
    assert.deepEqual(ids(trivy), []);
    const kics = analyse(`${root}# kics-scan ignore-line\nRUN sudo ls\nUSER app\n`).r;
    assert.deepEqual(ids(kics), []);
    const off = analyse(`${root}# trivy:ignore:AVD-DS-0004\nEXPOSE 22\nUSER app\n`, 'Dockerfile', { suppressions: { honourOtherTools: false } }).r;
    assert.deepEqual(ids(off), ['4 dockerfile/ssh-port-exposed']);
  });

  it('writes a suppression comment above the instruction of a finding, with its indentation and line breaks', () => {
    const text = `${root}RUN apt-get update && \\\r\n    sudo make install\r\nUSER app\r\n`;
    const { p } = analyse(text);
    const e = p.suppressionEdit('/w/Dockerfile', { line: 3, character: 6 }, 'dockerfile/sudo-in-run', 'needed by the vendor installer', '2027-01-31')!;
    const after = applyTextEdits(text, [{ file: '/w/Dockerfile', range: p['lines']('/w/Dockerfile').range(e.start, e.end), newText: e.newText }]);
    assert.equal(after.split('\n')[2], '# iso27017:ignore dockerfile/sudo-in-run until=2027-01-31 -- needed by the vendor installer\r');
    p.setFile('/w/Dockerfile', after);
    assert.deepEqual(ids(p.analyzeAll()), []);
    assert.equal(p.suppressionEdit('/w/Dockerfile', { line: 3, character: 0 }, 'dockerfile/sudo-in-run', '  '), undefined, 'a reason is required');
  });
});

describe('Dockerfiles in a project', () => {
  it('are analysed with the Terraform files; an edit of one re-analyses its folder only', () => {
    const p = new Project({ rules, controls: controls() });
    p.setFile('/w/app/Dockerfile', `FROM alpine\n${BASE.split('\n').slice(1).join('\n')}`);
    p.setFile('/w/infra/main.tf', 'resource "aws_s3_bucket" "b" {}\n');
    const all = p.analyzeAll();
    assert.ok(all.findings.some((f) => f.file === '/w/app/Dockerfile' && f.ruleId === 'dockerfile/base-image-unpinned'));
    assert.ok(all.findings.some((f) => f.file === '/w/infra/main.tf'));
    const one = p.analyzeFiles(['/w/app/Dockerfile']);
    assert.deepEqual(one.files, ['/w/app/Dockerfile']);
    assert.ok(one.findings.every((f) => f.file === '/w/app/Dockerfile'));
  });

  it('masks secrets in messages', () => {
    const { r } = analyse(`${BASE}ENV DB_PASSWORD=Hunter2-sup3r-s3cret\n`);
    const f = r.findings.find((x) => x.ruleId === 'dockerfile/secret-in-env-or-arg')!;
    assert.ok(!f.message.includes('Hunter2-sup3r-s3cret'), f.message);
    assert.match(f.message, /Hunt…/);
  });
});
