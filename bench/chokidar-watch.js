// Watches a project folder with chokidar for bench/bench.py, with chokidar's default options (atomic 100 ms, change
// throttled per path, no awaitWriteFinish, initial `add` events on) and node_modules ignored.
//   node bench/chokidar-watch.js ROOT
// Standard output, one line each, times from process.hrtime.bigint() (CLOCK_MONOTONIC in nanoseconds, the clock
// Python's time.monotonic_ns() reads; Date.now() has only milliseconds):
//   starting T          first line of the script, before chokidar is loaded
//   watch T             right before chokidar.watch()
//   ready T ADDS        chokidar's 'ready' (initial scan done), with the number of initial 'add' events
//   change T PATH       every 'change', PATH relative to ROOT; also add/unlink/error after 'ready'
// End of input closes the watcher and exits.
'use strict';
const started = process.hrtime.bigint();
const path = require('path');
const chokidar = require(path.join(__dirname, '.peers', 'node_modules', 'chokidar'));

const root = path.resolve(process.argv[2]);
const now = () => process.hrtime.bigint().toString();
const out = (line) => process.stdout.write(line + '\n'); // synchronous for pipes on Linux
const rel = (p) => path.relative(root, p);

out(`starting ${started}`);
out(`watch ${now()}`);
const watcher = chokidar.watch(root, {
  // chokidar 4 has no globs: a function (or a RegExp) it applies to every path before reading a folder
  ignored: (p) => p.split(path.sep).includes('node_modules'),
});
let ready = false;
let adds = 0;
watcher.on('ready', () => {
  ready = true;
  out(`ready ${now()} ${adds}`);
});
watcher.on('change', (p) => out(`change ${now()} ${rel(p)}`));
watcher.on('add', (p) => {
  if (ready) out(`add ${now()} ${rel(p)}`);
  else adds++;
});
watcher.on('unlink', (p) => out(`unlink ${now()} ${rel(p)}`));
watcher.on('error', (e) => out(`error ${now()} ${String(e).replace(/\n/g, ' ')}`));

process.stdin.on('data', () => {});
process.stdin.on('end', () => watcher.close().then(() => process.exit(0)));
