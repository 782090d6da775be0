// Builds the web clients into OUT (default: dist/): bundles the TypeScript entry points with
// esbuild and copies the static pages. Usage: node build.mjs [OUT]
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? resolve(here, 'dist'));
const t0 = Date.now();
rmSync(resolve(out, 'widget'), { recursive: true, force: true });
rmSync(resolve(out, 'console'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(resolve(here, 'static'), out, { recursive: true });
await build({
  entryPoints: {
    'widget/widget': resolve(here, 'src/widget/widget.ts'),
    'console/console': resolve(here, 'src/console/console.ts'),
  },
  outdir: out,
  bundle: true,
  format: 'iife',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`[web] built widget and console into ${out} in ${Date.now() - t0} ms`);
