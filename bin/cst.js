#!/usr/bin/env node
// Starts cst. `--version` is answered here; everything else runs dist/cst.cjs, compiled through a
// V8 code cache kept in the user's cache directory, so a run skips parsing the bundle. The cache
// is an optimisation only: when it is missing, corrupt, foreign or unwritable, cst runs as if it
// did not exist. (CommonJS, see bin/package.json: an ES module entry costs Node ~10% more.)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8');
  try {
    fs.writeSync(1, `${JSON.parse(pkg).version}\n`);
  } catch (error) {
    // A full disk or a closed pipe: the version did not arrive, and cst says so in one line.
    const reason = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
    process.stderr.write(`error: cannot write to stdout: ${reason}\n`);
    process.exitCode = 1;
  }
} else {
  run();
}

function run() {
  const dist = path.join(__dirname, '..', 'dist');
  const bundle = path.join(dist, 'cst.cjs');
  let build;
  let source;
  try {
    build = JSON.parse(fs.readFileSync(path.join(dist, 'build.json'), 'utf8'));
    source = fs.readFileSync(bundle, 'utf8');
  } catch {
    process.stderr.write("error: cst is not built (dist/ is missing); run 'npm run build'\n");
    process.exitCode = 1;
    return;
  }
  const cache = codeCache(build, argv);
  const cachedData = cache?.read();
  const { Script } = require('node:vm');
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: bundle, cachedData },
  );
  let stale = cache !== undefined && (cachedData === undefined || script.cachedDataRejected);
  // A cache records the V8 flags it was made under, and cst sets --liftoff-only before its first
  // request: the cache is made just before that, or at the end of a run that never sets it.
  const saveCache = () => {
    if (!stale) return;
    stale = false;
    let data;
    try {
      data = script.createCachedData();
    } catch {
      return; // No cache this time: the run itself must not notice.
    }
    cache.write(data);
  };
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    require('node:module').createRequire(bundle),
    module,
    bundle,
    dist,
  );
  module.exports.main(argv, { beforeV8Flags: saveCache }).then((code) => {
    process.exitCode = code;
    // A failed run may have taken an unusual path; the next good one makes the cache.
    if (code === 0) saveCache();
  });
}

/**
 * The code cache for this build, this Node and these flags: one file per command, since each
 * compiles different parts of the bundle. Undefined when turned off or the command is unknown.
 */
function codeCache(build, args) {
  const off = process.env.CST_NO_CACHE;
  if (off !== undefined && off !== '' && off !== '0' && off !== 'false') return undefined;
  const group = cacheGroup(args);
  if (group === undefined) return undefined;
  const root = cacheDir();
  if (root === undefined) return undefined;
  const dir = path.join(root, 'code-cache');
  const buildDir = path.join(dir, `${build.version}-${build.hash}`);
  const runtime = [process.version, process.arch, ...process.execArgv, process.env.NODE_OPTIONS];
  const file = path.join(buildDir, `${group}-${fnv1a(runtime.join('\0'))}.bin`);
  const crypto = () => require('node:crypto');
  // The file: "cst1", the SHA-1 of the data, the data. V8 checks a cache's length, source length
  // and flags but, in release builds, not its contents: a flipped byte would crash the process.
  const MAGIC = Buffer.from('cst1');
  const HEADER = MAGIC.length + 20;
  return {
    read() {
      let fd;
      try {
        fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
        const stat = fs.fstatSync(fd);
        // Bytecode runs as the user: take it only from a file that no one else could have written.
        const mine = process.getuid === undefined || stat.uid === process.getuid();
        if (!stat.isFile() || !mine || (stat.mode & 0o022) !== 0) return undefined;
        const content = fs.readFileSync(fd);
        const data = content.subarray(HEADER);
        const digest = crypto().createHash('sha1').update(data).digest();
        const intact =
          content.subarray(0, MAGIC.length).equals(MAGIC) &&
          content.subarray(MAGIC.length, HEADER).equals(digest);
        return intact ? data : undefined;
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    write(data) {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(buildDir, { recursive: true, mode: 0o700 });
        const digest = crypto().createHash('sha1').update(data).digest();
        fs.writeFileSync(temp, Buffer.concat([MAGIC, digest, data]), { mode: 0o600, flag: 'wx' });
        fs.renameSync(temp, file);
        // Caches of other builds of cst will never be read again.
        for (const entry of fs.readdirSync(dir)) {
          if (entry !== path.basename(buildDir)) {
            fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
          }
        }
      } catch {
        try {
          fs.rmSync(temp, { force: true });
        } catch {
          // Nothing was made.
        }
      }
    },
  };
}

/** The command a command line runs, as far as argv alone tells; never an argument's value. */
function cacheGroup(args) {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) return 'help';
  const word = args.find((arg) => !arg.startsWith('-'));
  if (word === undefined) return 'root';
  return /^[a-z]{2,12}$/.test(word) ? word : undefined;
}

function cacheDir() {
  const own = process.env.CST_CACHE_DIR;
  if (own) return own;
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'cst');
  const home = process.env.HOME || require('node:os').homedir();
  return home ? path.join(home, '.cache', 'cst') : undefined;
}

/** A short name for a string, for file names. */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
