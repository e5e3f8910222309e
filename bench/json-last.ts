/**
 * Run with `node -r @swc-node/register`, Node resolves `./forums` to forums.json before forums.ts (.json is
 * registered before .ts). Importing this module first moves .json to the end, as the compiled build has it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ext = require.extensions as Record<string, unknown>;
const json = ext['.json'];
delete ext['.json'];
ext['.json'] = json;
export {};
