// jsonc-parser, from its ES module build. The package's `main` is a UMD build whose AMD-style `require`s esbuild
// cannot follow (the bundle then fails at start with "Cannot find module './impl/format'"), and esbuild picks
// `main` over `module` for Node targets unless told otherwise. Importing the ES build here keeps every bundle working.

export { applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
export type { Edit, JSONPath, Node, ParseError } from 'jsonc-parser/lib/esm/main.js';
