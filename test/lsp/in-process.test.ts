// The in-process variant: startServer() over a pair of in-memory streams, for fast wiring checks.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, type Connection } from 'vscode-languageserver/node';
import type { Hover, InitializeResult, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer } from '../../server/src/server';
import { catalogPath, makeWorkspace, removeWorkspace, uri } from './harness';

describe('language server in process', function () {
  let client: MessageConnection;
  let server: Connection;
  let ws: string;

  before(function () {
    ws = makeWorkspace({});
    const up = new PassThrough();
    const down = new PassThrough();
    // Message readers, not raw streams: with raw streams the library exits the process when they end.
    server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)) as Connection;
    startServer(server);
    client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    client.onRequest(() => null);
    client.listen();
  });

  after(function () {
    client?.dispose();
    server?.dispose();
    if (ws) removeWorkspace(ws);
  });

  it('initializes, publishes diagnostics for an opened document and hovers', async function () {
    const init = await client.sendRequest<InitializeResult>('initialize', {
      processId: null,
      rootUri: uri(ws),
      workspaceFolders: [{ uri: uri(ws), name: 'ws' }],
      initializationOptions: { catalogPath },
      capabilities: {},
    });
    assert.deepEqual(init.capabilities.experimental, { iso27017: { version: 1 } });
    const docUri = uri(join(ws, 'main.tf'));
    const published = new Promise<PublishDiagnosticsParams>((resolve) =>
      client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        if (p.uri === docUri && p.diagnostics.length > 0) resolve(p);
      }),
    );
    await client.sendNotification('initialized', {});
    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: docUri, languageId: 'terraform', version: 1, text: 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' },
    });
    const p = await published;
    assert.ok(p.diagnostics.some((d) => d.code === 'terraform/s3-versioning-disabled'));
    const hover = await client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: docUri }, position: { line: 0, character: 1 } });
    assert.match((hover!.contents as MarkupContent).value, /\*\*12\.3\.1\*\* Information backup/);
    await client.sendRequest('shutdown');
  });
});
