// Opens the location of a finding (from the Controls view or a control page).

import * as vscode from 'vscode';
import type { WireRange } from '../../../server/src/protocol';

/** Opens `uri` with `range` selected and revealed, in `column` (default: the active editor group). */
export async function openLocation(uri: string, range: WireRange, column?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.showTextDocument(doc, { selection, viewColumn: column ?? vscode.ViewColumn.Active, preview: true });
}
