// Diagnostics of the example project: rule id as code, controls in the message, docs link; code actions; hover.

import * as assert from 'assert';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, controlTitles, deadline, fileUri, lineOf, startExtension, waitForDiagnostics } from './helpers';

const PUBLIC_ACL = 'terraform/s3-bucket-public-acl';
const IMDS = 'terraform/ec2-imdsv2-not-required';
const EXPECTED_IN_MAIN = [PUBLIC_ACL, IMDS, 'terraform/security-group-open-ssh', 'terraform/kms-key-rotation-disabled', 'terraform/s3-versioning-disabled'];
const EXPECTED_IN_MODULE = ['terraform/s3-encryption-missing', 'terraform/s3-public-access-block-missing'];

type Code = { value: string | number; target: vscode.Uri };

describe('diagnostics', () => {
  let titles: Map<string, string>;
  const mainUri = () => fileUri('main.tf');

  before(async () => {
    const { ext } = await startExtension();
    titles = controlTitles(ext);
  });

  /** Checks the shape every diagnostic of ours must have. */
  function checkShape(d: vscode.Diagnostic): void {
    const where = `${codeOf(d)} at line ${d.range.start.line + 1}`;
    assert.strictEqual(d.source, 'iso27017', `${where}: source`);
    assert.match(codeOf(d) ?? '', /^terraform\/[a-z0-9-]+$/, `${where}: code is the rule id`);
    assert.ok(typeof d.code === 'object' && (d.code as Code).target instanceof vscode.Uri, `${where}: code has a codeDescription link`);
    const target = (d.code as Code).target;
    // The link opens the rule's page shipped inside the extension (docs/rules/<id>.md), so it works offline.
    assert.strictEqual(target.scheme, 'file', `${where}: the link is a file in the extension (${target.toString()})`);
    assert.ok(target.path.endsWith(`/docs/rules/${codeOf(d)}.md`), `${where}: the link is the rule's page (${target.toString()})`);
    assert.ok(existsSync(target.fsPath), `${where}: the rule's page exists (${target.fsPath})`);
    assert.ok(decodeURIComponent(target.toString()).includes(codeOf(d)!), `${where}: the link names the rule (${target.toString()})`);
    const m = /\(ISO 27017 (.+)\)$/.exec(d.message);
    assert.ok(m, `${where}: message ends with "(ISO 27017 <id> <title>; …)": ${d.message}`);
    for (const part of m[1]!.split('; ')) {
      const [id, ...rest] = part.split(' ');
      assert.ok(titles.has(id!), `${where}: control ${id} is in the catalog`);
      assert.strictEqual(rest.join(' '), titles.get(id!), `${where}: control ${id} has its catalog title`);
    }
  }

  it('appear for the example main.tf with the rule id as code, ISO 27017 controls and a docs link', async () => {
    const doc = await vscode.workspace.openTextDocument(mainUri());
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(mainUri(), (all) => EXPECTED_IN_MAIN.every((c) => all.some((d) => codeOf(d) === c)), `the findings ${EXPECTED_IN_MAIN.join(', ')}`);
    ds.forEach(checkShape);

    const acl = ds.find((d) => codeOf(d) === PUBLIC_ACL)!;
    assert.strictEqual(acl.severity, vscode.DiagnosticSeverity.Error, 'a public ACL is an error');
    assert.strictEqual(acl.range.start.line, lineOf(doc, 'acl    = "public-read"'), 'the public ACL finding is on the acl line');
    assert.ok(doc.getText(acl.range).includes('public-read'), `range covers the value: ${doc.getText(acl.range)}`);
    assert.match(acl.message, /ISO 27017 9\.4\.1 Information access restriction/);

    const imds = ds.find((d) => codeOf(d) === IMDS)!;
    assert.strictEqual(imds.range.start.line, lineOf(doc, 'http_tokens = "optional"'), 'the IMDSv2 finding is on the http_tokens line');
  });

  it('appear for files that are not open (workspace scan of modules/logs-bucket/main.tf)', async () => {
    const uri = fileUri('modules', 'logs-bucket', 'main.tf');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the module file is not open');
    const ds = await waitForDiagnostics(uri, (all) => EXPECTED_IN_MODULE.every((c) => all.some((d) => codeOf(d) === c)), `the findings ${EXPECTED_IN_MODULE.join(', ')}`);
    ds.forEach(checkShape);
  });

  it('offer code actions: show each control, learn more about the rule', async () => {
    const acl = (await waitForDiagnostics(mainUri(), (all) => all.some((d) => codeOf(d) === PUBLIC_ACL), PUBLIC_ACL)).find((d) => codeOf(d) === PUBLIC_ACL)!;
    const actions = await deadline(
      vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', mainUri(), acl.range),
      30_000,
      'vscode.executeCodeActionProvider',
    );
    // Plain Commands have a string `command`; CodeActions have an object one (or none).
    const ourActions = (actions ?? []).filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
    const titlesOffered = ourActions.map((a) => a.title);
    assert.ok(titlesOffered.includes('Show control 9.4.1 in catalog'), `offered: ${JSON.stringify(titlesOffered)}`);
    assert.ok(titlesOffered.includes(`Learn more about ${PUBLIC_ACL}`), `offered: ${JSON.stringify(titlesOffered)}`);

    const learn = ourActions.find((a) => a.title === `Learn more about ${PUBLIC_ACL}`)!;
    assert.strictEqual(learn.kind?.value, vscode.CodeActionKind.QuickFix.value, 'a quick fix');
    assert.ok(learn.command, 'the action runs a command');
    assert.strictEqual(learn.command.command, 'iso27017.rule.show');
    const page = await deadline(
      Promise.resolve(vscode.commands.executeCommand<vscode.Uri>(learn.command.command, ...(learn.command.arguments ?? []))),
      30_000,
      'iso27017.rule.show to open the rule page',
    );
    assert.ok(page instanceof vscode.Uri, 'iso27017.rule.show returns the page URI');
    const text = (await vscode.workspace.openTextDocument(page)).getText();
    assert.ok(text.includes(PUBLIC_ACL) && text.includes('9.4.1'), `the rule page names the rule and its control:\n${text.slice(0, 400)}`);

    const show = ourActions.find((a) => a.title === 'Show control 9.4.1 in catalog')!;
    assert.strictEqual(show.command?.command, 'iso27017.catalog.reveal');
    // Its result changed over time (the control, now true once the Controls view shows it): it must succeed.
    const revealed = await deadline(
      Promise.resolve(vscode.commands.executeCommand<unknown>(show.command.command, ...(show.command.arguments ?? []))),
      30_000,
      'iso27017.catalog.reveal',
    );
    assert.ok(revealed, `iso27017.catalog.reveal 9.4.1 succeeds (returned ${JSON.stringify(revealed)})`);
  });

  it('explain the finding and its controls on hover', async () => {
    const acl = (await waitForDiagnostics(mainUri(), (all) => all.some((d) => codeOf(d) === PUBLIC_ACL), PUBLIC_ACL)).find((d) => codeOf(d) === PUBLIC_ACL)!;
    const hovers = await deadline(
      vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', mainUri(), acl.range.start.translate(0, 1)),
      30_000,
      'vscode.executeHoverProvider',
    );
    const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(text.includes(PUBLIC_ACL), `hover names the rule:\n${text}`);
    assert.ok(text.includes('9.4.1') && text.includes(titles.get('9.4.1')!), `hover names the control and its title:\n${text}`);
  });
});
