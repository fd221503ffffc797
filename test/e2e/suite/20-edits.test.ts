// Editing a document re-analyses it: fixing a finding clears its diagnostic, the others stay, and undoing the
// fix brings it back (which also leaves main.tf as it was for the other test files, whatever their order).

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, describeDiagnostics, fileUri, lineOf, startExtension, waitForDiagnostics } from './helpers';

const IMDS = 'terraform/ec2-imdsv2-not-required';
const VERSIONING = 'terraform/s3-versioning-disabled';
const PUBLIC_ACL = 'terraform/s3-bucket-public-acl';

describe('edits', () => {
  const uri = () => fileUri('main.tf');
  let doc: vscode.TextDocument;

  before(async () => {
    await startExtension();
    doc = await vscode.workspace.openTextDocument(uri());
    await vscode.window.showTextDocument(doc);
  });

  it('clears terraform/ec2-imdsv2-not-required when http_tokens becomes "required", flags it again on undo', async () => {
    const line = lineOf(doc, 'http_tokens = "optional"');
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === IMDS && d.range.start.line === line), `${IMDS} on line ${line + 1}`);
    const col = doc.lineAt(line).text.indexOf('"optional"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri(), new vscode.Range(line, col, line, col + '"optional"'.length), '"required"');
    assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
    const after = await waitForDiagnostics(
      uri(),
      (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === IMDS && d.range.start.line === line),
      `${IMDS} to clear from line ${line + 1} after the edit (unsaved)`,
    );
    assert.ok(after.some((d) => codeOf(d) === PUBLIC_ACL), `the other findings stay:${describeDiagnostics(after)}`);

    const back = new vscode.WorkspaceEdit();
    back.replace(uri(), new vscode.Range(line, col, line, col + '"required"'.length), '"optional"');
    assert.ok(await vscode.workspace.applyEdit(back), 'edit undone');
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === IMDS && d.range.start.line === line), `${IMDS} to come back after undoing the fix`);
    assert.ok(await doc.save(), 'saved');
  });

  it('clears terraform/s3-versioning-disabled when versioning is added for the bucket, flags it again on removal', async () => {
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === VERSIONING), VERSIONING);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri(), end, '\nresource "aws_s3_bucket_versioning" "exports" {\n  bucket = aws_s3_bucket.exports.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
    const after = await waitForDiagnostics(uri(), (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === VERSIONING), `${VERSIONING} to clear after adding aws_s3_bucket_versioning`);
    assert.ok(after.some((d) => codeOf(d) === PUBLIC_ACL), `the other findings stay:${describeDiagnostics(after)}`);

    const back = new vscode.WorkspaceEdit();
    back.delete(uri(), new vscode.Range(end, doc.lineAt(doc.lineCount - 1).range.end));
    assert.ok(await vscode.workspace.applyEdit(back), 'edit undone');
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === VERSIONING), `${VERSIONING} to come back after removing the versioning resource`);
    assert.ok(await doc.save(), 'saved');
  });
});
