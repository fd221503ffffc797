// The language status item ("ISO 27017: 3 findings"), fed by the server's iso27017/status notification.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  private last: StatusParams | undefined;
  private readonly changed = new vscode.EventEmitter<StatusParams>();
  /** Fires on every status the server sends (e2e tests wait on it). */
  readonly onDidChange = this.changed.event;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('iso27017.status', selector);
    this.item.name = 'ISO 27017';
    this.setServerState('starting');
  }

  /** Subscribes to the client's state and to the status notification (kept across restarts by the client). */
  attach(client: LanguageClient): void {
    this.disposables.push(
      client.onNotification(StatusNotification.type, (s) => this.update(s)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.setServerState('running');
        else if (e.newState === State.Starting) this.setServerState('starting');
        else this.setServerState('stopped');
      }),
    );
  }

  /** The last status the server sent. */
  get current(): StatusParams | undefined {
    return this.last;
  }

  private setServerState(state: 'starting' | 'running' | 'stopped'): void {
    void vscode.commands.executeCommand('setContext', 'iso27017.serverState', state);
    if (state === 'stopped') {
      this.item.text = '$(error) Stopped';
      this.item.detail = 'The ISO 27017 server is not running';
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.busy = false;
      this.item.command = { title: 'Restart', command: 'iso27017.server.restart' };
    } else if (state === 'starting') {
      this.item.text = 'Starting…';
      this.item.busy = true;
    } else if (this.last) {
      this.update(this.last);
    }
  }

  update(s: StatusParams): void {
    this.last = s;
    this.item.busy = s.state === 'scanning';
    if (!s.enabled) {
      this.item.text = 'Disabled';
      this.item.detail = 'iso27017.enable is false';
      this.item.severity = vscode.LanguageStatusSeverity.Information;
      this.item.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['iso27017.enable'] };
    } else {
      this.item.text = s.state === 'scanning' ? `Scanning ${s.files} files…` : `${s.findings} ${s.findings === 1 ? 'finding' : 'findings'}`;
      const parts = [`${s.files} files`, `last analysis ${s.lastAnalysisMs} ms`];
      if (!s.catalog) parts.push('no control catalog');
      if (s.problems.length > 0) parts.push(`${s.problems.length} problem(s): see output`);
      this.item.detail = parts.join(' · ');
      this.item.severity = s.problems.length > 0 || !s.catalog ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
      this.item.command = { title: 'Show Output', command: 'iso27017.showOutput' };
    }
    void vscode.commands.executeCommand('setContext', 'iso27017.analysis.state', s.state);
    this.changed.fire(s);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.item.dispose();
    this.changed.dispose();
  }
}
