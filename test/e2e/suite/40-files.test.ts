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
      const manifest = JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'assets', Source: 'registry.terraform.io/example-org/bucket/aws', Version: '1.0.0', Dir: '.terraform/modules/assets' }] });
      await write(fileUri('.terraform', 'modules', 'modules.json'), manifest);
      // The file watcher can miss writes into folders created a moment earlier (as .terraform/modules is here); if
      // nothing comes, the manifest is written again, once, as a second terraform init would.
      const seen = (all: readonly vscode.Diagnostic[]) => fromModule(all).length === 1;
      const ds = await waitForDiagnostics(call, seen, 'the public ACL of the installed module, on the call\'s acl input', 10_000).catch(async () => {
        await write(fileUri('.terraform', 'modules', 'modules.json'), `${manifest}\n`);
        return waitForDiagnostics(call, seen, 'the public ACL of the installed module, after the manifest was written again');
      });
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

  it('analyses a Dockerfile created on disk, then as it is edited in the editor (language dockerfile), unsaved', async () => {
    const uri = fileUri('e2e-app.dockerfile');
    const text = 'FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER app\nEXPOSE 8080 22\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'dockerfile/ssh-port-exposed'), 'dockerfile/ssh-port-exposed in a Dockerfile created on disk');
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.strictEqual(doc.languageId, 'dockerfile', 'VS Code knows the file as a Dockerfile');
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(2, 5, 2, 8), 'root');
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
      const ds = await waitForDiagnostics(uri, (all) => all.some((d) => codeOf(d) === 'dockerfile/user-root'), 'dockerfile/user-root for the unsaved USER root');
      assert.strictEqual(ds.find((d) => codeOf(d) === 'dockerfile/user-root')!.range.start.line, 2);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForDiagnostics(uri, (all) => !all.some((d) => codeOf(d) === 'dockerfile/user-root'), 'the finding to go with the revert');
      // Fixed on disk while open: the editor reloads it and the last finding goes. (VS Code may keep the closed
      // document alive for a while, and the server follows the editor's copy, so the file is clean before it goes.)
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text.replace(' 22', '')));
      await waitForDiagnostics(uri, (all) => all.length === 0, 'no finding once EXPOSE 22 is gone');
    } finally {
      for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()) await vscode.window.tabGroups.close(tab);
      }
      await vscode.workspace.fs.delete(uri);
    }
  });
  it('analyses a Kubernetes manifest in the editor (language yaml) as it is typed, and offers its securityContext fix', async () => {
    const uri = fileUri('e2e-pod.yaml');
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: e2e\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      readOnlyRootFilesystem: true\n      capabilities:\n        drop: ["ALL"]\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.strictEqual(doc.languageId, 'yaml');
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(10, 32, 10, 37), 'true');
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
      const ds = await waitForDiagnostics(uri, (all) => all.some((d) => codeOf(d) === 'kubernetes/privilege-escalation-allowed'), 'allowPrivilegeEscalation: true flagged while typing');
      const d = ds.find((x) => codeOf(x) === 'kubernetes/privilege-escalation-allowed')!;
      assert.strictEqual(d.range.start.line, 10);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
      const fix = actions.find((a) => a.title === 'Fix: Set allowPrivilegeEscalation: false');
      assert.ok(fix?.edit, `the fix is offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the fix applies');
      await waitForDiagnostics(uri, (all) => all.length === 0, 'no finding after the fix');
      assert.strictEqual(doc.getText(), text, 'the fix restored the text');
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } finally {
      for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()) await vscode.window.tabGroups.close(tab);
      }
      await vscode.workspace.fs.delete(uri);
    }
  });
});
