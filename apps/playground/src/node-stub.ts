// Stands in for Node built-ins in the browser bundle (see vite.config.ts). Every export throws when called, so a
// Node-only code path reached by mistake says what happened instead of failing somewhere obscure.
const nodeOnly =
  (name: string) =>
  (..._args: unknown[]): never => {
    throw new Error(`${name} is a Node.js API and is not available in the browser`);
  };

export const readFile = nodeOnly('readFile');
export const writeFile = nodeOnly('writeFile');
export const mkdir = nodeOnly('mkdir');
export const rename = nodeOnly('rename');
export const open = nodeOnly('open');
export const readdir = nodeOnly('readdir');
export const stat = nodeOnly('stat');
export const lstat = nodeOnly('lstat');
export const rm = nodeOnly('rm');
export const unlink = nodeOnly('unlink');
export const existsSync = nodeOnly('existsSync');
export const createReadStream = nodeOnly('createReadStream');
export const createWriteStream = nodeOnly('createWriteStream');
export const join = nodeOnly('path.join');
export const resolve = nodeOnly('path.resolve');
export const basename = nodeOnly('path.basename');
export const extname = nodeOnly('path.extname');
export const dirname = nodeOnly('path.dirname');
export const relative = nodeOnly('path.relative');
export const isAbsolute = nodeOnly('path.isAbsolute');
export const sep = '/';
export const pathToFileURL = nodeOnly('pathToFileURL');
export const fileURLToPath = nodeOnly('fileURLToPath');
export const createRequire = nodeOnly('createRequire');
export const createInterface = nodeOnly('createInterface');
export const availableParallelism = nodeOnly('availableParallelism');
export const pipeline = nodeOnly('pipeline');
export const Readable = { from: nodeOnly('Readable.from') };
export const workerData = undefined;
export default {};
