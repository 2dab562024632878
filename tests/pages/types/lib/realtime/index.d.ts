// The pages import the client library as '../lib/realtime/index.js' (served by the front from clients/js/dist). The
// type check maps that folder here (tsconfig.json, rootDirs), and here to the library's sources.
export * from '../../../../../clients/js/src/index.js';
