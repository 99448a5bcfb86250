// Loaded with `--require` (through NODE_OPTIONS) into every Node process the
// benchmark starts, children included. It appends JSON lines with this
// process's peak resident set size so far, from getrusage(2) via
// process.resourceUsage(), to the file named by BENCH_PEAK_RSS_FILE: at exit,
// and while it runs whenever the peak has grown by 10 MB, because a process
// that is killed never reaches 'exit' (Jest replaces a worker that holds too
// much memory with SIGTERM). The benchmark takes the largest line.
'use strict';
const { appendFileSync } = require('node:fs');
const { setInterval } = require('node:timers');

const file = process.env.BENCH_PEAK_RSS_FILE;
const STEP_KB = 10 * 1024;
const EVERY_MS = 200;

if (file) {
  let recordedKb = 0;
  const record = () => {
    recordedKb = process.resourceUsage().maxRSS;
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, maxRssKb: recordedKb, argv: process.argv.slice(1).join(' ') })}\n`);
  };
  setInterval(() => {
    if (process.resourceUsage().maxRSS >= recordedKb + STEP_KB) record();
  }, EVERY_MS).unref();
  process.on('exit', record);
}
