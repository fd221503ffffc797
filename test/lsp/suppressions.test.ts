// LSP protocol tests of the Suppressions view's data: iso27017/listSuppressions lists every suppression comment
// (ours and the other tools') with its verdict and expiry, the suppression settings change verdicts and
// diagnostics, and iso27017/suppressionsChanged follows changes that move no finding.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { ListSuppressionsResult, SuppressionCommentInfo, SuppressionsChangedParams } from '../../server/src/protocol';
import { LspServer, makeWorkspace, removeWorkspace, uri } from './harness';

const VERSIONING = 'terraform/s3-versioning-disabled';
const INVALID = 'iso27017/invalid-suppression';

/** A local date `days` from today, `YYYY-MM-DD` (the server judges expiries with its local date too). */
function localDate(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
const SOON = localDate(10);

const bucket = (name: string): string => `resource "aws_s3_bucket" "${name}" {\n  bucket = "${name}"\n}\n`;

/** One bucket per suppression syntax and per kind of invalid comment; every bucket lacks versioning. */
const MAIN_TF = [
  `# iso27017:ignore ${VERSIONING} until=2999-01-01 -- scratch bucket, rebuilt daily\n${bucket('ours')}`,
  `resource "aws_s3_bucket" "ck" {\n  #checkov:skip=CKV_AWS_21:versioning handled by the backup vault\n  bucket = "ck"\n}\n`,
  `#tfsec:ignore:aws-s3-enable-versioning\n${bucket('tf')}`,
  `#trivy:ignore:AVD-AWS-0090:exp:${SOON}\n${bucket('tv')}`,
  `# kics-scan ignore-block\n${bucket('kc')}`,
  `# iso27017:ignore ${VERSIONING}\n${bucket('noreason')}`,
  `# iso27017:ignore terraform/s3-versionning-disabled -- typo in the id\n${bucket('typo')}`,
  `# iso27017:ignore ${VERSIONING} until=2000-01-01 -- long gone\n${bucket('old')}`,
  bucket('plain'),
].join('\n');

/** The line of a resource's header in MAIN_TF. */
const headerLine = (text: string, name: string): number => text.split('\n').findIndex((l) => l.startsWith(`resource "aws_s3_bucket" "${name}"`));
const versioningLines = (ds: Diagnostic[]): number[] => ds.filter((d) => d.code === VERSIONING).map((d) => d.range.start.line).sort((a, b) => a - b);

/** The comment whose text starts with `prefix`. */
function comment(list: readonly SuppressionCommentInfo[] | undefined, prefix: string): SuppressionCommentInfo {
  const c = (list ?? []).find((x) => x.text.startsWith(prefix));
  assert.ok(c, `no comment starting with ${prefix} in ${JSON.stringify((list ?? []).map((x) => x.text))}`);
  return c;
}

/** What a test compares of a comment. */
const summary = (c: SuppressionCommentInfo) => ({
  syntax: c.syntax,
  status: c.status,
  problem: c.problem?.code,
  reason: c.reason,
  expires: c.expires,
  expiry: c.expiry?.status,
  rules: c.rules.includes(VERSIONING) ? [VERSIONING] : c.rules,
  silenced: c.findings.filter((f) => f.ruleId === VERSIONING).map((f) => f.range.start.line),
});

describe('LSP: suppressions', function () {
  this.timeout(60_000);
  let ws: string;
  let server: LspServer;
  let mainUri: string;

  before(async function () {
    ws = makeWorkspace({ 'main.tf': MAIN_TF, 'other/clean.tf': bucket('clean') });
    mainUri = uri(join(ws, 'main.tf'));
    server = await LspServer.start({ folders: [ws], iso27017Capabilities: { suppressions: true } });
    await server.scanEnded();
    await server.diagnosticsFor(mainUri, (d) => d.some((x) => x.code === VERSIONING));
  });

  after(async function () {
    if (server) assert.equal(await server.stop(), 0);
    removeWorkspace(ws);
  });

  it('lists every suppression of the workspace with its syntax, reason, expiry, rules, verdict and what it silences', async function () {
    const r: ListSuppressionsResult = await server.request('iso27017/listSuppressions', {});
    assert.match(r.today ?? '', /^\d{4}-\d{2}-\d{2}$/);
    const comments = r.comments ?? [];
    assert.equal(comments.length, 8, JSON.stringify(comments.map((c) => c.text)));
    assert.ok(comments.every((c) => c.uri === mainUri), 'the clean file has no comments');
    const line = (name: string): number => headerLine(MAIN_TF, name);
    assert.deepEqual(summary(comment(comments, 'iso27017:ignore terraform/s3-versioning-disabled until=2999')), {
      syntax: 'iso27017', status: 'valid', problem: undefined, reason: 'scratch bucket, rebuilt daily', expires: '2999-01-01', expiry: 'ok', rules: [VERSIONING], silenced: [line('ours')],
    });
    assert.deepEqual(summary(comment(comments, 'checkov:skip')), {
      syntax: 'checkov', status: 'valid', problem: undefined, reason: 'versioning handled by the backup vault', expires: undefined, expiry: undefined, rules: [VERSIONING], silenced: [line('ck')],
    });
    assert.deepEqual(summary(comment(comments, 'tfsec:ignore')), {
      syntax: 'tfsec', status: 'valid', problem: undefined, reason: undefined, expires: undefined, expiry: undefined, rules: [VERSIONING], silenced: [line('tf')],
    });
    const trivy = comment(comments, 'trivy:ignore');
    assert.deepEqual(summary(trivy), {
      syntax: 'trivy', status: 'valid', problem: undefined, reason: undefined, expires: SOON, expiry: 'soon', rules: [VERSIONING], silenced: [line('tv')],
    });
    assert.equal(trivy.expiry?.daysLeft, 10);
    assert.deepEqual(summary(comment(comments, 'kics-scan')), {
      syntax: 'kics', status: 'valid', problem: undefined, reason: undefined, expires: undefined, expiry: undefined, rules: [VERSIONING], silenced: [line('kc')],
    });
    const invalid = comments.filter((c) => c.status === 'invalid');
    assert.deepEqual(
      invalid.map((c) => [c.problem?.code, c.range.start.line, c.findings.length]),
      [
        ['missingReason', line('noreason') - 1, 0],
        ['unknownRule', line('typo') - 1, 0],
        ['expired', line('old') - 1, 0],
      ],
    );
    const old = comment(comments, 'iso27017:ignore terraform/s3-versioning-disabled until=2000');
    assert.equal(old.expiry?.status, 'expired');
    assert.ok(old.expiry!.daysLeft! < 0);
    assert.deepEqual(comment(comments, 'iso27017:ignore terraform/s3-versionning').rules, ['terraform/s3-versionning-disabled'], 'an unknown id is listed as written');

    // The diagnostics agree: findings stay on the buckets whose comments do not count, and ours are reported.
    const ds = server.diagnostics.get(mainUri)!.diagnostics;
    assert.deepEqual(versioningLines(ds), [line('noreason'), line('typo'), line('old'), line('plain')]);
    assert.deepEqual(ds.filter((d) => d.code === INVALID).map((d) => d.range.start.line), [line('noreason') - 1, line('typo') - 1, line('old') - 1]);

    // `suppressed` (the silenced findings) and `comments` tell the same story; `uri` filters both.
    assert.equal(r.suppressed.filter((s) => s.ruleId === VERSIONING).length, 5);
    const one: ListSuppressionsResult = await server.request('iso27017/listSuppressions', { uri: uri(join(ws, 'other/clean.tf')) });
    assert.deepEqual([one.suppressed, one.comments], [[], []]);
    const same: ListSuppressionsResult = await server.request('iso27017/listSuppressions', { uri: mainUri });
    assert.equal(same.comments?.length, 8);
  });

  it('a control forbidden in the settings turns a suppression invalid and its finding visible again', async function () {
    const line = (name: string): number => headerLine(MAIN_TF, name);
    const seen = server.notifications.length;
    // The flat names of the VS Code settings, as a client that does not normalise would send them.
    await server.configure({ suppressions: { forbidControls: [' 12.3.1 '] } as never });
    const ds = await server.diagnosticsFor(mainUri, (d) => versioningLines(d).includes(line('ours')), 'the finding of the forbidden suppression');
    // Every comment naming the versioning rule (which evidences 12.3.1) stops counting once it meets the finding.
    assert.deepEqual(versioningLines(ds), ['ours', 'ck', 'tf', 'tv', 'kc', 'noreason', 'typo', 'old', 'plain'].map(line));
    const forbidden = ds.filter((d) => d.code === INVALID && /not allowed/.test(typeof d.message === 'string' ? d.message : d.message.value));
    assert.ok(forbidden.some((d) => d.range.start.line === line('ours') - 1), 'ours is reported');
    assert.ok(forbidden.some((d) => d.range.start.line === line('ck') + 1), 'the Checkov comment is reported');

    const r: ListSuppressionsResult = await server.request('iso27017/listSuppressions', {});
    const ours = comment(r.comments, 'iso27017:ignore terraform/s3-versioning-disabled until=2999');
    assert.deepEqual([ours.status, ours.problem?.code, ours.findings.length], ['invalid', 'notAllowed', 0]);
    assert.match(ours.problem!.message, /12\.3\.1/);
    assert.deepEqual([comment(r.comments, 'checkov:skip').status, comment(r.comments, 'checkov:skip').problem?.code], ['invalid', 'notAllowed']);
    assert.deepEqual(r.suppressed.filter((s) => s.ruleId === VERSIONING), []);
    await server.waitFor('iso27017/suppressionsChanged after the settings change', () =>
      server.notifications.slice(seen).find((n) => n.method === 'iso27017/suppressionsChanged' && (n.params as SuppressionsChangedParams).uris.includes(mainUri)),
    );

    // The wire shape works too, and severities are forbidden the same way.
    await server.configure({ suppressions: { forbid: { severities: ['warning'] } } });
    await server.diagnosticsFor(mainUri, (d) => d.filter((x) => x.code === INVALID && /warning findings/.test(typeof x.message === 'string' ? x.message : x.message.value)).length > 0, 'the severity policy');

    await server.configure({});
    await server.diagnosticsFor(mainUri, (d) => !versioningLines(d).includes(line('ours')), 'the suppression to count again');
  });

  it('honourOtherTools: false makes #checkov:skip (and the other tools) stop suppressing; the view lists them as ignored', async function () {
    const line = (name: string): number => headerLine(MAIN_TF, name);
    await server.configure({ suppressions: { honourOtherTools: false } });
    const ds = await server.diagnosticsFor(mainUri, (d) => versioningLines(d).includes(line('ck')), 'the Checkov-suppressed finding to come back');
    assert.deepEqual(versioningLines(ds), ['ck', 'tf', 'tv', 'kc', 'noreason', 'typo', 'old', 'plain'].map(line), 'only our own comment still suppresses');
    // Other tools' comments are not wrong: they are not reported.
    assert.deepEqual(ds.filter((d) => d.code === INVALID).map((d) => d.range.start.line), [line('noreason') - 1, line('typo') - 1, line('old') - 1]);
    const r: ListSuppressionsResult = await server.request('iso27017/listSuppressions', {});
    for (const prefix of ['checkov:skip', 'tfsec:ignore', 'trivy:ignore', 'kics-scan']) {
      const c = comment(r.comments, prefix);
      assert.deepEqual([c.status, c.problem?.code, c.findings.length], ['ignored', 'otherToolsOff', 0], prefix);
    }
    assert.equal(comment(r.comments, 'iso27017:ignore terraform/s3-versioning-disabled until=2999').status, 'valid');

    await server.configure({ suppressions: { honourOtherTools: true } });
    const back = await server.diagnosticsFor(mainUri, (d) => !versioningLines(d).includes(line('ck')), 'the Checkov comment to count again');
    assert.deepEqual(versioningLines(back), ['noreason', 'typo', 'old', 'plain'].map(line));
  });

  it('sends iso27017/suppressionsChanged when only a reason changes, and lists the open document as edited', async function () {
    /** Index in `notifications` of the diagnostics published for `version` of main.tf. */
    const published = (version: number): Promise<number> =>
      server.waitFor(`the diagnostics of version ${version}`, () => {
        const i = server.notifications.findIndex((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string; version?: number }).uri === mainUri && (n.params as { version?: number }).version === version);
        return i >= 0 ? i + 1 : undefined;
      }).then((i) => i - 1);
    /** The first notification of `method` about main.tf after index `from`, with its index. */
    const next = (method: string, from: number): Promise<number> =>
      server.waitFor(`${method} after #${from}`, () => {
        const i = server.notifications.findIndex((n, k) => k > from && n.method === method && (n.params as { uris: string[] }).uris.includes(mainUri));
        return i >= 0 ? i + 1 : undefined;
      }).then((i) => i - 1);

    await server.open(mainUri, MAIN_TF);
    await published(1);
    const edited = MAIN_TF.replace('scratch bucket, rebuilt daily', 'scratch bucket, rebuilt hourly');
    await server.replace(mainUri, edited);
    const at = await published(2);
    const changed = await next('iso27017/suppressionsChanged', at);
    // The findings did not change, so iso27017/findingsChanged (sent in the same turn, before it) stayed quiet.
    assert.ok(!server.notifications.slice(at, changed).some((n) => n.method === 'iso27017/findingsChanged'), JSON.stringify(server.notifications.slice(at, changed + 1).map((n) => n.method)));
    const r: ListSuppressionsResult = await server.request('iso27017/listSuppressions', { uri: mainUri });
    assert.equal(comment(r.comments, 'iso27017:ignore terraform/s3-versioning-disabled until=2999').reason, 'scratch bucket, rebuilt hourly');

    // A comment that silences nothing is listed as valid, with no findings.
    const extra = `${edited}\n# iso27017:ignore terraform/kms-key-rotation-disabled -- no key here\n${bucket('extra')}`;
    await server.replace(mainUri, extra);
    await next('iso27017/suppressionsChanged', await published(3));
    const unused = comment(((await server.request('iso27017/listSuppressions', {})) as ListSuppressionsResult).comments, 'iso27017:ignore terraform/kms-key-rotation-disabled');
    assert.deepEqual([unused.status, unused.findings.length, unused.rules], ['valid', 0, ['terraform/kms-key-rotation-disabled']]);
    await server.close(mainUri);
  });

  it('does not send iso27017/suppressionsChanged to a client that does not show suppressions', async function () {
    const plain = await LspServer.start({ folders: [ws] });
    try {
      await plain.scanEnded();
      await plain.diagnosticsFor(mainUri, (d) => d.some((x) => x.code === VERSIONING));
      // listSuppressions still answers in full.
      const r: ListSuppressionsResult = await plain.request('iso27017/listSuppressions', {});
      assert.equal(r.comments?.length, 8);
      assert.ok(!plain.notifications.some((n) => n.method === 'iso27017/suppressionsChanged'));
    } finally {
      assert.equal(await plain.stop(), 0);
    }
  });
});
