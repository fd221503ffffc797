// The extension activates on its own when a .tf file is open, starts its server and registers its commands.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, START_MS, fileUri, startExtension, until, type ExtensionApiLike } from './helpers';

describe('activation', () => {
  it('activates on a .tf file (activation events) and its language server starts', async () => {
    const ext = vscode.extensions.getExtension<ExtensionApiLike>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
    const doc = await vscode.workspace.openTextDocument(fileUri('main.tf'));
    assert.strictEqual(doc.languageId, 'terraform', 'main.tf gets the terraform language');
    await vscode.window.showTextDocument(doc);
    // No explicit activate() before this: onLanguage:terraform / workspaceContains:**/*.tf must do it.
    await until(() => ext.isActive, START_MS, `${EXTENSION_ID} to be activated by its activation events`);
    const { api } = await startExtension();
    assert.ok(api, 'activate() returns the extension API');
    assert.ok(api.ready instanceof Promise, 'the API has a `ready` promise');
    if (api.client?.isRunning) assert.ok(api.client.isRunning(), 'the language client is running');
  });

  it('registers every command that package.json contributes', async () => {
    const { ext } = await startExtension();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
