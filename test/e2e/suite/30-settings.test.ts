// Settings changes take effect without a restart: iso27017.rules (off / severity) and iso27017.enable.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, fileUri, startExtension, waitForDiagnostics, workspaceRoot } from './helpers';

const PUBLIC_ACL = 'terraform/s3-bucket-public-acl';
const KMS = 'terraform/kms-key-rotation-disabled';

describe('settings', () => {
  const uri = () => fileUri('main.tf');
  const config = () => vscode.workspace.getConfiguration('iso27017', workspaceRoot());
  const severityOf = (ds: vscode.Diagnostic[], code: string) => ds.find((d) => codeOf(d) === code)?.severity;

  before(async () => {
    await startExtension();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri()));
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === PUBLIC_ACL) && ds.some((d) => codeOf(d) === KMS), `${PUBLIC_ACL} and ${KMS}`);
  });

  after(async () => {
    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('enable', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('iso27017.rules turns a rule off and changes a severity (workspace setting), and back', async () => {
    await config().update('rules', { [PUBLIC_ACL]: 'off', [KMS]: 'error' }, vscode.ConfigurationTarget.Workspace);
    const off = await waitForDiagnostics(
      uri(),
      (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === PUBLIC_ACL) && severityOf(ds, KMS) === vscode.DiagnosticSeverity.Error,
      `${PUBLIC_ACL} to go away and ${KMS} to become an error after "iso27017.rules": { "${PUBLIC_ACL}": "off", "${KMS}": "error" }`,
    );
    assert.ok(off.some((d) => codeOf(d) === 'terraform/security-group-open-ssh'), 'other rules still report');

    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(
      uri(),
      (ds) => ds.some((d) => codeOf(d) === PUBLIC_ACL) && severityOf(ds, KMS) === vscode.DiagnosticSeverity.Warning,
      `${PUBLIC_ACL} to come back and ${KMS} to be a warning again after removing iso27017.rules`,
    );
  });

  it('iso27017.enable = false clears the folder\'s diagnostics, true brings them back', async () => {
    await config().update('enable', false, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri(), (ds) => ds.length === 0, 'all diagnostics to clear after "iso27017.enable": false');
    await config().update('enable', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === PUBLIC_ACL), `${PUBLIC_ACL} to come back after re-enabling`);
  });
});
