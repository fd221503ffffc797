// The client's commands: restart, output, rescan, and the two targets of the server's code actions.

import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { ClientCommands, GetControlRequest, ListRulesRequest, ServerCommands, type RuleInfo } from '../../server/src/protocol';
import type { ProtocolFeature } from './client';

/** Scheme of the read-only rule pages opened by `iso27017.rule.show`. */
export const RULE_SCHEME = 'iso27017-rule';

/** Every command the extension registers (package.json `contributes.commands` lists the same ids). */
export const COMMAND_IDS = [
  'iso27017.server.restart',
  'iso27017.showOutput',
  'iso27017.rescan',
  ClientCommands.revealControl,
  ClientCommands.showRule,
] as const;

/** A read-only markdown page about one rule, built from the rule's metadata. */
export function ruleMarkdown(r: RuleInfo): string {
  const lines = [`# ${r.title}`, '', `\`${r.id}\` · default severity **${r.defaultSeverity}**${r.fixable ? ' · fixable' : ''}`, '', '## Rationale', '', r.summary, '', '## Controls', ''];
  for (const c of r.controls) lines.push(`- **${c.id}**${c.title ? ` ${c.title}` : ''}`);
  lines.push('', '## Messages', '');
  for (const [id, m] of Object.entries(r.messages)) lines.push(`- \`${id}\`: ${m}`);
  if (r.resourceTypes?.length) lines.push('', '## Resource types', '', ...r.resourceTypes.map((t) => `- \`${t}\``));
  const eq = Object.entries(r.equivalents).filter(([, ids]) => ids && ids.length > 0);
  if (eq.length > 0) {
    lines.push('', '## Equivalent checks', '', 'Suppression comments of these tools also apply.', '');
    for (const [tool, ids] of eq) lines.push(`- ${tool}: ${(ids ?? []).map((x) => `\`${x}\``).join(', ')}`);
  }
  lines.push('', '## Configure', '', `Set \`"iso27017.rules": { "${r.id}": "off" }\` to turn the rule off, or to \`error\`, \`warning\`, \`info\` or \`hint\` to change its severity.`, '', `Documentation: ${r.docsUrl}`, '');
  return lines.join('\n');
}

class RulePages implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    const { rules } = await this.client.sendRequest(ListRulesRequest.type, { id });
    const r = rules[0];
    return r ? ruleMarkdown(r) : `# Unknown rule\n\nThe server has no rule \`${id}\`.\n`;
  }
}

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel, feature: ProtocolFeature): void {
  const needServer = (): boolean => {
    if (client.isRunning() && feature.compatible) return true;
    void vscode.window.showWarningMessage('The ISO 27017 server is not running (or speaks another protocol version). Run "ISO 27017: Restart Server".');
    return false;
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, new RulePages(client)),

    vscode.commands.registerCommand('iso27017.server.restart', async () => {
      output.appendLine('Restarting the server…');
      await (client.isRunning() ? client.restart() : client.start());
    }),

    vscode.commands.registerCommand('iso27017.showOutput', () => output.show(true)),

    vscode.commands.registerCommand('iso27017.rescan', async () => {
      if (!needServer()) return undefined;
      return client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.rescan, arguments: [] });
    }),

    vscode.commands.registerCommand(ClientCommands.revealControl, async (id?: unknown) => {
      if (!needServer()) return undefined;
      const controlId = typeof id === 'string' ? id : await vscode.window.showInputBox({ prompt: 'Control id', placeHolder: '10.1.1' });
      if (!controlId) return undefined;
      const { control } = await client.sendRequest(GetControlRequest.type, { id: controlId });
      if (!control) {
        void vscode.window.showWarningMessage(`ISO 27017: no control ${controlId} in the catalog.`);
        return undefined;
      }
      output.appendLine(`\n${control.id} ${control.title}\n  ${control.summary}`);
      output.appendLine(`  Customer: ${control.guidance.customer.join(' ')}`);
      output.appendLine(`  Provider: ${control.guidance.provider.join(' ')}`);
      if (control.rules.length > 0) output.appendLine(`  Rules: ${control.rules.join(', ')}`);
      void vscode.window.showInformationMessage(`${control.id} ${control.title}: ${control.summary}`, 'Show Details').then((choice) => {
        if (choice) output.show(true);
      });
      return control;
    }),

    vscode.commands.registerCommand(ClientCommands.showRule, async (id?: unknown) => {
      if (!needServer()) return undefined;
      const ruleId = typeof id === 'string' ? id : await vscode.window.showInputBox({ prompt: 'Rule id', placeHolder: 'terraform/s3-versioning-disabled' });
      if (!ruleId) return undefined;
      const uri = vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${ruleId}.md` });
      // The `.md` path makes it a markdown document; the content provider makes it read-only.
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
      return uri;
    }),
  );
}
