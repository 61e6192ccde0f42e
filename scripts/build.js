// Bundles src/main.ts into dist/ with esbuild. Code splitting keeps the help and version paths
// small: each command's heavy imports (zod, undici, inquirer, cli-table3) sit behind dynamic
// imports and end up in chunks that load only when the command runs.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * commander requires node:child_process at load time for executable subcommands, which cst does
 * not use; loading it costs ~2 ms on every start. Give commander a stand-in that loads it on
 * first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/')
        ? { path: 'lazy-child-process', namespace: 'cst-lazy' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'cst-lazy' }, () => ({
      contents:
        "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * undici loads its HTTP/2 client, and with it node:http2, node:tls and node:crypto (~6 ms), when
 * its Client module loads. cst never negotiates HTTP/2, so the require moves to first use;
 * esbuild already wraps every CommonJS module in an initializer that runs on first require.
 */
const H2_REQUIRE = "const connectH2 = require('./client-h2.js')";
const lazyHttp2 = {
  name: 'lazy-http2',
  setup(build) {
    build.onLoad({ filter: /[/\\]undici[/\\]lib[/\\]dispatcher[/\\]client\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(H2_REQUIRE))
        throw new Error(`lazy-http2: ${args.path} changed; review the patch`);
      return {
        contents: source.replace(
          H2_REQUIRE,
          "const connectH2 = (...args) => require('./client-h2.js')(...args)",
        ),
        loader: 'js',
      };
    });
  },
};

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

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { __CST_VERSION__: JSON.stringify(pkg.version) },
  // commander and cli-table3 are CommonJS and call require() for node built-ins.
  banner: {
    js: "import { createRequire as __cstCreateRequire } from 'node:module'; const require = __cstCreateRequire(import.meta.url);",
  },
  plugins: [lazyChildProcess, lazyHttp2, skipContinue],
  // A native module: loaded from node_modules at run time, and only when a keyring is used.
  external: ['@napi-rs/keyring'],
  logLevel: 'warning',
});
