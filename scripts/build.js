// Bundles src/main.ts into dist/ with esbuild. Code splitting keeps the help and version paths
// small: each command's heavy imports (zod, undici, inquirer, cli-table3) sit behind dynamic
// imports and end up in chunks that load only when the command runs.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minifySyntax: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { __CST_VERSION__: JSON.stringify(pkg.version) },
  // commander and cli-table3 are CommonJS and call require() for node built-ins.
  banner: {
    js: "import { createRequire as __cstCreateRequire } from 'node:module'; const require = __cstCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
