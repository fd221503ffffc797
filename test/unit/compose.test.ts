// Docker Compose files in the engine: services, bad input, suppression comments, the suppression edit.

import assert from 'node:assert/strict';
import { parseCompose } from '../../server/src/documents/compose/model';
import { applyTextEdits } from '../../server/src/engine/fixer';
import { Project } from '../../server/src/engine/project';
import { rules } from '../../server/src/rules/index';
import { controls } from './support/project';

const composeRules = rules.filter((r) => r.meta.platform === 'compose');
const PRIV = 'compose/privileged-service';
const SVC = (extra = '', before = '') => `services:\n${before}  agent:\n    image: agent:1.0\n    security_opt: ["no-new-privileges:true"]\n    privileged: true\n${extra}`;

function analyse(text: string, name = 'docker-compose.yml') {
  const p = new Project({ rules: composeRules, controls: controls(), settings: { now: '2026-06-15' } });
  p.setFile(`/w/${name}`, text);
  return { p, r: p.analyzeAll() };
}
const ids = (r: { findings: Array<{ ruleId: string; range: { start: { line: number } } }> }) => r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`);

describe('Docker Compose', () => {
  it('finds the services, by name or by content (services with image or build)', () => {
    const d = parseCompose('/w/c.yml', 'version: "3"\nservices:\n  a: {image: x}\n  b:\n    build: .\nnetworks: {}\n');
    assert.deepEqual(d.services.map((s) => s.name), ['a', 'b']);
    assert.deepEqual(ids(analyse(SVC(), 'stack.yaml').r), [`5 ${PRIV}`], 'recognised by its content');
  });

  it('never throws on broken YAML, never expands aliases or merge keys', () => {
    for (const text of ['services:\n  a:\n    privileged: tr', 'services: [', '\u0000', 'services:\n  a: &x {privileged: true}\n  b:\n    <<: *x\n    image: y\n']) {
      assert.doesNotThrow(() => analyse(text), JSON.stringify(text));
    }
    assert.deepEqual(ids(analyse('services:\n  a: &x\n    image: y\n    privileged: true\n    security_opt: [no-new-privileges]\n  b:\n    <<: *x\n    image: z\n').r), [`4 ${PRIV}`], 'the merged service is not known to be privileged');
  });

  it('a comment above a service covers it; a reason is required', () => {
    const ok = analyse(SVC('', `  # iso27017:ignore ${PRIV} -- the USB scanner needs the device (OPS-3)\n`)).r;
    assert.deepEqual(ids(ok), []);
    assert.equal(ok.suppressed?.[0]?.suppression.reason, 'the USB scanner needs the device (OPS-3)');
    const bad = analyse(SVC('', `  # iso27017:ignore ${PRIV}\n`)).r;
    assert.deepEqual(ids(bad).sort(), ['2 iso27017/invalid-suppression', `6 ${PRIV}`]);
    assert.deepEqual(ids(analyse(SVC().replace('    privileged: true', '    # kics-scan ignore-line\n    privileged: true')).r), []);
  });

  it('writes the suppression comment above the service of a finding', () => {
    const text = SVC();
    const { p, r } = analyse(text);
    const e = p.suppressionEdit('/w/docker-compose.yml', r.findings[0]!.range.start, PRIV, 'device access')!;
    const after = applyTextEdits(text, [{ file: '/w/docker-compose.yml', range: p['lines']('/w/docker-compose.yml').range(e.start, e.end), newText: e.newText }]);
    assert.equal(after.split('\n')[1], `  # iso27017:ignore ${PRIV} -- device access`);
    p.setFile('/w/docker-compose.yml', after);
    assert.deepEqual(ids(p.analyzeAll()), []);
  });
});
