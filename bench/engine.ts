// Entry bundled by bench/bench.mjs: the engine as the server and the CLI use it.
export { Project } from '../server/src/engine/project';
export { rules } from '../server/src/rules/index';
export { loadCatalogFromDir } from '../server/src/catalog/load-node';
