// Builds the web UI into ggen-node's resources (committed, so the Java build needs no npm):
//   npm run build    writes the files
//   npm run check    builds in memory and fails when a committed file differs (a stale bundle)
// esbuild bundles src/main.js (Preact + htm) into one minified app.js; index.html, app.css and
// favicon.svg are copied as they are. The output depends only on the sources and the lockfile.
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'ggen-node', 'src', 'main', 'resources', 'io', 'ggen', 'node', 'ui', 'assets');
const check = process.argv.includes('--check');

const bundle = await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
});

const files = new Map();
files.set('app.js', Buffer.from(bundle.outputFiles[0].contents));
for (const name of ['index.html', 'app.css', 'favicon.svg']) files.set(name, await readFile(join(here, 'src', name)));

if (check) {
  const stale = [];
  for (const [name, bytes] of files) {
    let committed = null;
    try {
      committed = await readFile(join(out, name));
    } catch (e) {
      committed = null;
    }
    if (committed === null || !committed.equals(bytes)) stale.push(name);
  }
  if (stale.length > 0) {
    console.error(`stale web UI files in ${out}: ${stale.join(', ')}; run 'npm run build' in webui/ and commit them`);
    process.exit(1);
  }
  console.log(`web UI files are up to date (${files.size} files)`);
} else {
  await mkdir(out, { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(out, name), bytes);
  console.log(`wrote ${[...files.keys()].join(', ')} to ${out} (app.js ${files.get('app.js').length} bytes)`);
}
