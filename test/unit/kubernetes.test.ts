// Kubernetes manifests in the engine: the model, bad input (alias bombs, half-typed YAML), suppressions of every kind
// (comments, annotations, rivals'), the suppression edit.

import assert from 'node:assert/strict';
import { parseKubernetes } from '../../server/src/documents/kubernetes/model';
import { applyTextEdits } from '../../server/src/engine/fixer';
import { Project } from '../../server/src/engine/project';
import { rules } from '../../server/src/rules/index';
import { controls } from './support/project';

const k8sRules = rules.filter((r) => r.meta.platform === 'kubernetes');
const PRIV = 'kubernetes/privileged-container';

function analyse(text: string, name = 'deploy.yaml', settings = {}) {
  const p = new Project({ rules: k8sRules, controls: controls(), settings: { now: '2026-06-15', rules: { 'kubernetes/service-account-token-automounted': 'off' }, ...settings } });
  p.setFile(`/w/${name}`, text);
  return { p, r: p.analyzeAll() };
}
const ids = (r: { findings: Array<{ ruleId: string; range: { start: { line: number } } }> }, rule?: string) =>
  r.findings.filter((f) => !rule || f.ruleId === rule).map((f) => `${f.range.start.line + 1} ${f.ruleId}`);

/** A pod whose one container is privileged and otherwise hardened (only the privileged rule fires). */
const pod = (extraMeta = '', beforeContainer = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p${extraMeta}
spec:
  containers:
${beforeContainer}  - name: c
    image: app:1.0
    securityContext:
      privileged: true
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      readOnlyRootFilesystem: true
      capabilities:
        drop: ["ALL"]
`;

describe('Kubernetes model', () => {
  it('finds the objects of every document, their pod specs, containers and annotations', () => {
    const text = `${pod('\n  annotations:\n    team: web')}---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: [{name: i, image: x}]\n          containers: [{name: j, image: y}]\n---\nnot: kubernetes\n`;
    const d = parseKubernetes('/w/a.yaml', text);
    assert.deepEqual(d.objects.map((o) => [o.kind, o.name, o.containers.map((c) => `${c.list}:${c.name}`)]), [
      ['Pod', 'p', ['containers:c']],
      ['CronJob', 'nightly', ['initContainers:i', 'containers:j']],
    ]);
    assert.equal(d.objects[0]!.annotations.get('team')?.value, 'web');
  });

  it('reads JSON manifests too', () => {
    const { r } = analyse('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": true}}]}}', 'pod.json');
    assert.ok(ids(r).includes(`1 ${PRIV}`), JSON.stringify(ids(r)));
  });

  it('never expands aliases (a billion-laughs file is read in no time) and never throws on broken YAML', () => {
    const lol = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: lol}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lol.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    lol.push('spec:', '  containers:', '  - name: c', '    image: x', '    securityContext: *a9');
    const t0 = Date.now();
    const bomb = analyse(lol.join('\n'));
    assert.ok(Date.now() - t0 < 5000, 'the alias bomb is not expanded');
    assert.deepEqual(ids(bomb.r, PRIV), [], 'an alias is an unknown value: no finding');
    for (const text of ['apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: tr', 'kind: [', 'apiVersion: v1\nkind: Pod\n\t- bad', '\u0000\u0001', ':\n:\n:', '{{{{', 'a: "unclosed']) {
      assert.doesNotThrow(() => analyse(text), JSON.stringify(text));
    }
    const half = analyse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: true\n  - name: d\n    image: [\n');
    assert.ok(ids(half.r, PRIV).includes(`9 ${PRIV}`), 'what is complete is analysed');
    assert.match(half.r.errors[0]!.message, /^Syntax error: .*Complete objects were still analysed\.$/);
  });

  it('ignores YAML that is not a Kubernetes object', () => {
    const p = new Project({ rules: k8sRules, controls: controls() });
    p.setFile('/w/values.yaml', 'replicaCount: 1\nimage:\n  repository: nginx\n');
    p.setFile('/w/.github/workflows/ci.yml', 'on: push\njobs: {}\n');
    // A Helm template is not a manifest until it is rendered.
    p.setFile('/w/chart/templates/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        securityContext:\n          privileged: true\n');
    const r = p.analyzeAll();
    assert.deepEqual(r.files, []);
    assert.deepEqual(r.findings, []);
  });
});

describe('Kubernetes suppressions', () => {
  it('a YAML comment above a container or an object covers it', () => {
    const onContainer = analyse(pod('', `  # iso27017:ignore ${PRIV} -- the CNI agent needs it (SEC-7)\n`)).r;
    assert.deepEqual(ids(onContainer, PRIV), []);
    assert.equal(onContainer.suppressed?.[0]?.suppression.reason, 'the CNI agent needs it (SEC-7)');
    const onObject = analyse(`# iso27017:ignore ${PRIV} until=2026-12-31 -- node agent\n${pod()}`).r;
    assert.deepEqual(ids(onObject, PRIV), []);
  });

  it('the iso27017.io/ignore annotation covers the object; without a reason it is reported and does not count', () => {
    const ok = analyse(pod(`\n  annotations:\n    iso27017.io/ignore: "${PRIV} -- approved in SEC-9"`)).r;
    assert.deepEqual(ids(ok, PRIV), []);
    assert.equal(ok.suppressed?.[0]?.suppression.reason, 'approved in SEC-9');
    const bad = analyse(pod(`\n  annotations:\n    iso27017.io/ignore: "${PRIV}"`)).r;
    assert.deepEqual(ids(bad).sort(), [`12 ${PRIV}`, '6 iso27017/invalid-suppression'].sort());
  });

  it('honours Checkov annotations, Trivy and KICS comments through the equivalents', () => {
    assert.deepEqual(ids(analyse(pod('\n  annotations:\n    checkov.io/skip1: CKV_K8S_16=privileged by design')).r, PRIV), []);
    assert.deepEqual(ids(analyse(pod('\n  annotations:\n    checkov.io/skip2: CKV_K8S_20=other check')).r, PRIV), [`12 ${PRIV}`], 'another check id does not hide this rule');
    assert.deepEqual(ids(analyse(pod('', '  # trivy:ignore:AVD-KSV-0017\n')).r, PRIV), []);
    assert.deepEqual(ids(analyse(pod().replace('      privileged: true', '      # kics-scan ignore-line\n      privileged: true')).r, PRIV), []);
  });

  it('writes the suppression comment above the container of a finding, at the list item\'s indentation', () => {
    const text = pod();
    const { p, r } = analyse(text);
    const f = r.findings.find((x) => x.ruleId === PRIV)!;
    const e = p.suppressionEdit('/w/deploy.yaml', f.range.start, PRIV, 'needed by the storage driver')!;
    const after = applyTextEdits(text, [{ file: '/w/deploy.yaml', range: p['lines']('/w/deploy.yaml').range(e.start, e.end), newText: e.newText }]);
    assert.equal(after.split('\n')[6], `  # iso27017:ignore ${PRIV} -- needed by the storage driver`);
    p.setFile('/w/deploy.yaml', after);
    assert.deepEqual(ids(p.analyzeAll(), PRIV), []);
  });
});
