// The injection grammar that highlights suppression comments and control ids: its patterns compile and match.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './support/project';

interface Grammar {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, { match: string }>;
}

const grammar = JSON.parse(readFileSync(join(repoRoot, 'syntaxes/iso27017-comments.injection.json'), 'utf8')) as Grammar;
const re = (name: string): RegExp => new RegExp(grammar.repository[name]!.match);

describe('comment injection grammar', () => {
  it('injects into comments only, not strings', () => {
    assert.equal(grammar.injectionSelector, 'L:comment -string');
  });

  it('captures our suppression: rule ids, expiry and reason', () => {
    const m = re('suppression').exec('# iso27017:ignore terraform/s3-versioning-disabled,terraform/kms-key-rotation-disabled until=2027-03-01 -- logs are immutable elsewhere');
    assert.ok(m);
    assert.equal(m[1], 'iso27017:ignore');
    assert.equal(m[2], 'terraform/s3-versioning-disabled,terraform/kms-key-rotation-disabled');
    assert.equal(m[3], 'until=2027-03-01');
    assert.equal(m[5], 'logs are immutable elsewhere');
    assert.equal(re('suppression').exec('# iso27017:ignore-file terraform/x-y -- generated')?.[1], 'iso27017:ignore-file');
  });

  it('captures the rivals\' suppression comments', () => {
    for (const [text, id] of [
      ['#checkov:skip=CKV_AWS_19:reason', 'CKV_AWS_19:reason'],
      ['#tfsec:ignore:aws-s3-enable-bucket-encryption:exp:2025-01-01', 'aws-s3-enable-bucket-encryption:exp:2025-01-01'],
      ['#trivy:ignore:AVD-AWS-0088', 'AVD-AWS-0088'],
      ['# kics-scan disable=568a4d22-3517-44a6-a7ad-6a7eed88722c', '568a4d22-3517-44a6-a7ad-6a7eed88722c'],
    ] as const) {
      assert.equal(re('rival-suppression').exec(text)?.[2], id, text);
    }
    assert.ok(re('rival-suppression').test('# kics-scan ignore-block'));
  });

  it('captures control references such as "ISO 27017 CLD.9.5.2"', () => {
    assert.equal(re('control-reference').exec('# required by ISO 27017 CLD.9.5.2 hardening')?.[2], 'CLD.9.5.2');
    assert.equal(re('control-reference').exec('// ISO/IEC 27017: 10.1.1')?.[2], '10.1.1');
    assert.equal(re('control-reference').exec('# version 10.1.1 of the module'), null);
  });
});
