// The client's commands: restart, output, rescan, and the two targets of the server's code actions.

import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { ClientCommands, ListRulesRequest, ServerCommands, SuppressionEditRequest, WorkspaceFixesRequest, type RuleInfo, type SuppressCommandArgs } from '../../server/src/protocol';
import type { WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageclient/node';
import { serverReady, type ProtocolFeature } from './client';
import { CHECKLIST_COMMANDS } from './views/checklistTree';
import { CATALOG_COMMANDS } from './views/index';
import { SUPPRESSIONS_COMMANDS } from './views/suppressionsTree';

/** Scheme of the read-only rule pages opened by `iso27017.rule.show`. */
export const RULE_SCHEME = 'iso27017-rule';

/** Every command the extension registers (package.json `contributes.commands` lists the same ids). */
export const COMMAND_IDS = [
  'iso27017.server.restart',
  'iso27017.showOutput',
  'iso27017.rescan',
  ClientCommands.revealControl,
  ClientCommands.showRule,
  ClientCommands.fixRuleInWorkspace,
  ...Object.values(CATALOG_COMMANDS),
  ...Object.values(CHECKLIST_COMMANDS),
  ...Object.values(SUPPRESSIONS_COMMANDS),
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

/** What the Controls view lends to the commands here. */
export interface CatalogHooks {
  /** Reveals a control in the Controls view and opens its page; false when the control is unknown. */
  revealControl(controlId: string): Promise<boolean>;
}

/** A rule id from a command argument: a string, or a Controls view node that carries `ruleId`. */
function ruleIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const id = arg && typeof arg === 'object' ? (arg as { ruleId?: unknown }).ruleId : undefined;
  return typeof id === 'string' ? id : undefined;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  output: vscode.LogOutputChannel,
  feature: ProtocolFeature,
  catalog: CatalogHooks,
): void {
  const needServer = (): boolean => serverReady(client, feature);

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
      if (!needServer()) return false;
      // Without an id (e.g. from a keybinding), the quick pick of iso27017.catalog.showControl asks for one.
      if (typeof id !== 'string') return vscode.commands.executeCommand(CATALOG_COMMANDS.showControl);
      return catalog.revealControl(id);
    }),

    vscode.commands.registerCommand(ClientCommands.showRule, async (id?: unknown) => {
      if (!needServer()) return undefined;
      const ruleId = ruleIdOf(id) ?? (await vscode.window.showInputBox({ prompt: 'Rule id', placeHolder: 'terraform/s3-versioning-disabled' }));
      if (!ruleId) return undefined;
      const uri = vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${ruleId}.md` });
      // The `.md` path makes it a markdown document; the content provider makes it read-only.
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
      return uri;
    }),
  );
}

/**
 * `iso27017.suppress` (the target of the "Suppress <rule> for this resource…" code action): asks for a reason
 * and an optional expiry, then applies the suppression comment the server computes (`iso27017/suppressionEdit`),
 * so that it goes through the editor's undo.
 */
export function registerSuppressCommand(context: vscode.ExtensionContext, client: LanguageClient, feature: ProtocolFeature): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommands.suppress, async (arg?: unknown) => {
      if (!serverReady(client, feature)) return false;
      const a = (arg && typeof arg === 'object' ? arg : {}) as Partial<SuppressCommandArgs>;
      if (typeof a.uri !== 'string' || typeof a.ruleId !== 'string' || !a.range) return false;
      const reason = await vscode.window.showInputBox({
        title: `Suppress ${a.ruleId}`,
        prompt: 'Why is this finding accepted? The reason is written into the suppression comment.',
        placeHolder: 'e.g. public website bucket, approved in SEC-123',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'A suppression needs a reason.'),
      });
      if (!reason?.trim()) return false;
      const until = await vscode.window.showInputBox({
        title: `Suppress ${a.ruleId}: expiry (optional)`,
        prompt: 'The date after which the finding is reported again (YYYY-MM-DD); leave empty for none.',
        ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() || /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? undefined : 'Use YYYY-MM-DD, or leave empty.'),
      });
      if (until === undefined) return false;
      const result = await client.sendRequest(SuppressionEditRequest.type, {
        uri: a.uri,
        ruleId: a.ruleId,
        range: a.range,
        reason: reason.trim(),
        ...(until.trim() ? { until: until.trim() } : {}),
      });
      if (!result.edit) {
        void vscode.window.showWarningMessage(`ISO 27017: ${result.error ?? 'the suppression could not be written.'}`);
        return false;
      }
      return vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(result.edit));
    }),
  );
}

/**
 * `iso27017.fixRuleInWorkspace` (also the target of the "Fix all "<rule>" problems in the workspace…" code action):
 * takes a rule id, or asks for one with a quick pick of the rules that have fixable findings (with counts), gets
 * the edit from `iso27017/workspaceFixes` and applies it as a refactoring: its change annotations need
 * confirmation, so VS Code shows the refactor preview and nothing changes until the user applies it.
 */
export function registerFixRuleCommand(context: vscode.ExtensionContext, client: LanguageClient, feature: ProtocolFeature): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommands.fixRuleInWorkspace, async (arg?: unknown) => {
      if (!serverReady(client, feature)) return false;
      let ruleId = ruleIdOf(arg);
      if (!ruleId) {
        const { rules } = await client.sendRequest(WorkspaceFixesRequest.type, {});
        if (rules.length === 0) {
          void vscode.window.showInformationMessage('ISO 27017: no finding in the workspace can be fixed automatically.');
          return false;
        }
        const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
        const pick = await vscode.window.showQuickPick(
          rules.map((r) => ({ label: r.ruleId, description: `${plural(r.findings, 'finding')} in ${plural(r.files, 'file')}`, ...(r.title ? { detail: r.title } : {}), ruleId: r.ruleId })),
          { title: 'Fix a rule across the workspace', placeHolder: 'Which rule\'s findings should be fixed? The changes are previewed first.', matchOnDescription: true, matchOnDetail: true },
        );
        if (!pick) return false;
        ruleId = pick.ruleId;
      }
      const result = await client.sendRequest(WorkspaceFixesRequest.type, { ruleId });
      if (!result.edit) {
        void vscode.window.showWarningMessage(`ISO 27017: ${result.error ?? 'nothing could be fixed.'}`);
        return false;
      }
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit as LspWorkspaceEdit);
      return vscode.workspace.applyEdit(edit, { isRefactoring: true });
    }),
  );
}
