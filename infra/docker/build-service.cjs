#!/usr/bin/env node
// Builds one service into a directory that runs with plain `node` and production dependencies only:
//   node infra/docker/build-service.cjs <service> <out>      (e.g. plan /tmp/plan-image)
// 1. compiles the service and the libraries it imports (tsc, decorator metadata kept) into <out>/app;
// 2. installs the production dependencies there (npm ci --omit=dev, from the lock file);
// 3. replaces the workspace links of the libraries with their compiled code (package main: src/index.js).
// The Dockerfile (infra/docker/service.Dockerfile) runs exactly this in its build stage; `npm run build:service`
// runs it on this machine, and `npm run test:image` starts what it built.
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = join(__dirname, '..', '..');
const [service, outArgument] = process.argv.slice(2);
if (!service || !outArgument || !existsSync(join(root, 'services', service, 'src', 'main.ts'))) {
  console.error('usage: node infra/docker/build-service.cjs <service> <out>   (a service with src/main.ts)');
  process.exit(2);
}
const out = resolve(outArgument);
const app = join(out, 'app');
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit' });
const json = (file) => JSON.parse(readFileSync(file, 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(app, { recursive: true });

// 1. Compile: the service's sources, and through path mapping (not node_modules, whose files tsc never emits)
//    every library it imports.
const tsconfig = join(out, 'tsconfig.build.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: relative(out, join(root, 'tsconfig.base.json')),
    compilerOptions: {
      outDir: relative(out, app),
      rootDir: relative(out, root),
      declaration: false,
      sourceMap: true,
      types: ['node'],
      typeRoots: [relative(out, join(root, 'node_modules', '@types'))],
      baseUrl: relative(out, root),
      paths: { '@golden-loop/*': ['libs/*/src/index.ts'] },
    },
    include: [relative(out, join(root, 'services', service, 'src', '**', '*.ts'))],
    exclude: ['**/*.spec.ts', '**/test-support/**', '**/testing/**'].map((glob) => relative(out, join(root, 'services', service, 'src', glob))),
  }),
);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], root);

// 2. Production dependencies, from the lock file. npm needs every workspace's package.json to read the lock.
cpSync(join(root, 'package.json'), join(app, 'package.json'));
cpSync(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
const workspaces = ['libs', 'services'].flatMap((folder) =>
  readdirSync(join(root, folder)).filter((name) => existsSync(join(root, folder, name, 'package.json'))).map((name) => join(folder, name)),
);
for (const workspace of workspaces) {
  mkdirSync(join(app, workspace), { recursive: true });
  cpSync(join(root, workspace, 'package.json'), join(app, workspace, 'package.json'));
}
run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], app);

// 3. The libraries as real packages of compiled code; the workspaces nothing imports stay out.
for (const workspace of workspaces) {
  const compiled = existsSync(join(app, workspace, 'src'));
  const manifest = json(join(root, workspace, 'package.json'));
  const link = join(app, 'node_modules', ...manifest.name.split('/'));
  rmSync(link, { recursive: true, force: true });
  if (!compiled) {
    rmSync(join(app, workspace), { recursive: true, force: true });
    continue;
  }
  writeFileSync(join(app, workspace, 'package.json'), JSON.stringify({ ...manifest, main: 'src/index.js', types: undefined }, null, 2));
  if (workspace.startsWith('libs/')) {
    mkdirSync(join(link, '..'), { recursive: true });
    cpSync(join(app, workspace), link, { recursive: true });
    rmSync(join(app, workspace), { recursive: true, force: true });
  }
}
// Files a service reads at run time (rule sets, ...), named in its package.json "runtimeFiles".
for (const asset of json(join(root, 'services', service, 'package.json')).runtimeFiles ?? []) {
  cpSync(join(root, 'services', service, asset), join(app, 'services', service, asset), { recursive: true });
}
rmSync(join(app, 'libs'), { recursive: true, force: true });
rmSync(tsconfig);
console.log(`built ${service} into ${app}: node services/${service}/src/main.js`);
