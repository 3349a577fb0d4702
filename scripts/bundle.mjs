// Bundles the CLI into dist/ushim.mjs (one module loads far faster than ~100). koffi stays
// external (native addon); CommonJS dependencies (elfy) get a require() through createRequire.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/emu/cli.js'],
  outfile: 'dist/ushim.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  external: ['koffi'],
  banner: { js: "import { createRequire as __ushimRequire } from 'node:module'; const require = __ushimRequire(import.meta.url);" },
  logLevel: 'warning',
});
