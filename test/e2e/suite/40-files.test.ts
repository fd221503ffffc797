// Files created and deleted on disk (workspace.fs): the server follows through its file watchers.

import * as vscode from 'vscode';
import { codeOf, fileUri, startExtension, waitForDiagnostics } from './helpers';

describe('files on disk', () => {
  before(async () => {
    await startExtension();
  });

  it('analyses a .tf file created on disk, and clears its diagnostics when it is deleted', async () => {
    const uri = fileUri('e2e-extra.tf');
    const text = 'resource "aws_s3_bucket" "extra" {\n  bucket = "e2e-extra"\n  acl    = "public-read"\n}\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'terraform/s3-bucket-public-acl'), 'terraform/s3-bucket-public-acl in a file created on disk (not opened)');
    await vscode.workspace.fs.delete(uri);
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'the diagnostics of the deleted file to clear');
  });

  it('clears the diagnostics of a deleted module file, and finds them again when it comes back', async () => {
    const uri = fileUri('modules', 'logs-bucket', 'main.tf');
    await waitForDiagnostics(uri, (ds) => ds.length > 0, 'findings in modules/logs-bucket/main.tf');
    const content = await vscode.workspace.fs.readFile(uri);
    await vscode.workspace.fs.delete(uri);
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'the diagnostics of the deleted modules/logs-bucket/main.tf to clear');
    // Put it back, so that the other test files see the example project whole, whatever their order.
    await vscode.workspace.fs.writeFile(uri, content);
    await waitForDiagnostics(uri, (ds) => ds.length > 0, 'findings in the restored modules/logs-bucket/main.tf');
  });
});
