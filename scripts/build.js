// Bundles src/main.ts into one CommonJS file, dist/cst.cjs, that bin/cst.js loads through a V8
// code cache. Each command's heavy imports (zod, undici, inquirer, cli-table3) sit behind dynamic
// imports, which esbuild turns into initializers that run on first use: --help compiles and
// runs none of them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * undici destroys the connection when a server sends an interim `100 Continue` that cst did not
 * ask for, so the 201 behind it is lost and a created session with it. RFC 9110 (15.2) says a
 * client must accept unexpected 1xx responses; undici already skips every other one, and with
 * this patch skips 100 the same way.
 */
const CONTINUE_CHECK = `    if (statusCode === 100) {
      util.destroy(socket, new SocketError('bad response', util.getSocketInfo(socket)))
      return -1
    }
`;
const skipContinue = {
  name: 'skip-continue',
  setup(build) {
    build.onLoad(
      { filter: /[/\\]undici[/\\]lib[/\\]dispatcher[/\\]client-h1\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes(CONTINUE_CHECK))
          throw new Error(`skip-continue: ${args.path} changed; review the patch`);
        return { contents: source.replace(CONTINUE_CHECK, ''), loader: 'js' };
      },
    );
  },
};

/**
 * undici's WebAssembly HTTP parser is 145 KB of base64, a quarter of the bundle, and only a
 * request needs it: it stays a file of its own beside the bundle, read on first use, so the
 * help path never reads it.
 */
const LLHTTP = /^\.\.\/llhttp\/(llhttp(?:_simd)?-wasm)\.js$/;
const wasmBeside = {
  name: 'wasm-beside',
  setup(build) {
    build.onResolve({ filter: LLHTTP }, (args) => ({
      path: `./${LLHTTP.exec(args.path)[1]}.cjs`,
      external: true,
    }));
  },
};

/**
 * The MCP SDK (and the zod it brings) is as large as the rest of cst, and only `cst mcp` needs
 * it: it is bundled on its own, dist/mcp-sdk.cjs, which the main bundle requires on first use,
 * so no other command reads or compiles a byte of it. zod's JSON Schema converter, which only
 * `cst mcp` uses, comes from there too: 20 KB less for every other command's first start.
 */
const MCP_SDK = /^@modelcontextprotocol\/server(\/stdio)?$/;
const mcpBeside = {
  name: 'mcp-beside',
  setup(build) {
    build.onResolve({ filter: MCP_SDK }, () => ({ path: './mcp-sdk.cjs', external: true }));
    build.onResolve({ filter: /^zod\/v4\/core$/ }, (args) =>
      args.importer.includes('/src/commands/mcp/')
        ? { path: './mcp-sdk.cjs', external: true }
        : undefined,
    );
  },
};

/**
 * pg asks whether it runs in a Cloudflare Worker by making a `Response`, which on Node 20 loads
 * Node's own fetch implementation: 10 to 15 ms of every command on a shared store, for a
 * runtime cst never runs in. The probe goes; `navigator` (absent in Node 20) still decides.
 */
const CLOUDFLARE_PROBE = `  if (typeof Response === 'function') {
    const resp = new Response(null, { cf: { thing: true } })
    if (typeof resp.cf === 'object' && resp.cf !== null && resp.cf.thing) {
      return true
    }
  }
`;
const noCloudflareProbe = {
  name: 'no-cloudflare-probe',
  setup(build) {
    build.onLoad({ filter: /[/\\]pg[/\\]lib[/\\]stream\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(CLOUDFLARE_PROBE))
        throw new Error(`no-cloudflare-probe: ${args.path} changed; review the patch`);
      return { contents: source.replace(CLOUDFLARE_PROBE, ''), loader: 'js' };
    });
  },
};

/**
 * The PostgreSQL driver, for a ledger in a database (CST_STATE_URL): bundled on its own,
 * dist/pg.cjs, and required only when a URL is set, so commands on local state read none of it.
 */
const pgBeside = {
  name: 'pg-beside',
  setup(build) {
    build.onResolve({ filter: /^pg$/ }, () => ({ path: './pg.cjs', external: true }));
  },
};

const dist = new URL('../dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/cst.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  write: false,
  // import() of what is not bundled (node: modules, the keyring) becomes require(): the bundle
  // runs as a vm.Script, which has no ES module loader behind it.
  supported: { 'dynamic-import': false },
  define: { __CST_VERSION__: JSON.stringify(pkg.version) },
  plugins: [skipContinue, wasmBeside, mcpBeside, pgBeside],
  // A native module: loaded from node_modules at run time, and only when a keyring is used.
  external: ['@napi-rs/keyring'],
  logLevel: 'warning',
});
const [bundle] = result.outputFiles;
await mkdir(dist, { recursive: true });
await writeFile(new URL('cst.cjs', dist), bundle.contents);
await build({
  stdin: {
    contents: [
      "export { McpServer, ResourceTemplate, parseJSONRPCMessage } from '@modelcontextprotocol/server';",
      "export { serveStdio } from '@modelcontextprotocol/server/stdio';",
      "export { toJSONSchema } from 'zod/v4/core';",
    ].join('\n'),
    resolveDir: new URL('..', import.meta.url).pathname,
    loader: 'js',
  },
  outfile: 'dist/mcp-sdk.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  logLevel: 'warning',
});
await build({
  stdin: {
    contents: "module.exports = require('pg');",
    resolveDir: new URL('..', import.meta.url).pathname,
    loader: 'js',
  },
  outfile: 'dist/pg.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  // Optional parts of pg that cst never uses: the libpq binding and Cloudflare's sockets.
  external: ['pg-native', 'cloudflare:sockets'],
  plugins: [noCloudflareProbe],
  logLevel: 'warning',
});
for (const name of ['llhttp-wasm', 'llhttp_simd-wasm']) {
  const from = new URL(`../node_modules/undici/lib/llhttp/${name}.js`, import.meta.url);
  await copyFile(from, new URL(`${name}.cjs`, dist));
}
// bin/cst.js keys its code cache by this hash: V8 itself checks only the source's length.
const hash = createHash('sha256').update(bundle.contents).digest('hex').slice(0, 16);
await writeFile(new URL('build.json', dist), `${JSON.stringify({ version: pkg.version, hash })}\n`);
