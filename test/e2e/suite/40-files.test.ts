// Files created and deleted on disk (workspace.fs): the server follows through its file watchers.

import * as assert from 'assert';
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

  it('evaluates a registry module once terraform init has installed it (manifest written last), and forgets it with .terraform', async () => {
    const call = fileUri('e2e-registry.tf');
    const dotTerraform = fileUri('.terraform');
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const fromModule = (ds: readonly vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'terraform/s3-bucket-public-acl' && d.message.includes('module.assets.aws_s3_bucket.this'));
    try {
      await write(call, 'module "assets" {\n  source  = "example-org/bucket/aws"\n  version = "1.0.0"\n  acl     = "public-read"\n}\n');
      // Like terraform init: the module's code first, the manifest at the end.
      await write(fileUri('.terraform', 'modules', 'assets', 'main.tf'), 'variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "assets"\n  acl    = var.acl\n}\n');
      await write(
        fileUri('.terraform', 'modules', 'modules.json'),
        JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'assets', Source: 'registry.terraform.io/example-org/bucket/aws', Version: '1.0.0', Dir: '.terraform/modules/assets' }] }),
      );
      const ds = await waitForDiagnostics(call, (all) => fromModule(all).length === 1, 'the public ACL of the installed module, on the call\'s acl input');
      const d = fromModule(ds)[0]!;
      assert.strictEqual(d.range.start.line, 3, 'on `acl = "public-read"` of the call');
      assert.match(d.message, /\(in the installed module example-org\/bucket\/aws 1\.0\.0\)/);
      assert.strictEqual(d.relatedInformation?.[0]?.location.uri.toString(), fileUri('.terraform', 'modules', 'assets', 'main.tf').toString());
      assert.deepStrictEqual(vscode.languages.getDiagnostics(fileUri('.terraform', 'modules', 'assets', 'main.tf')), [], 'nothing reported in the installed code');
      await vscode.workspace.fs.delete(dotTerraform, { recursive: true });
      await waitForDiagnostics(call, (all) => fromModule(all).length === 0, 'the finding to go with .terraform');
    } finally {
      await vscode.workspace.fs.delete(dotTerraform, { recursive: true }).then(undefined, () => undefined);
      await vscode.workspace.fs.delete(call).then(undefined, () => undefined);
    }
    await waitForDiagnostics(call, (ds) => ds.length === 0, 'the diagnostics of the deleted e2e-registry.tf to clear');
  });
});
