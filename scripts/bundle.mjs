// Bundles the CLI into one CommonJS file, dist/ushim.cjs, that bin/ushim compiles with a V8
// code cache: loading ~100 ES modules, or compiling one large one on every start, costs more
// than the whole guest start-up. koffi stays external (a native addon); import.meta.url
// becomes the bundle's own file URL.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Code caches of earlier bundles (bin/ushim names them by the bundle's size and mtime).
for (const f of readdirSync('dist')) if (/^ushim\.cjs\..*cache$/.test(f)) rmSync(`dist/${f}`, { force: true });

await build({
  entryPoints: ['dist/emu/cli.js'],
  outfile: 'dist/ushim.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['koffi'],
  define: { 'import.meta.url': '__ushimModuleUrl' },
  banner: { js: "const __ushimModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
