// Loaded with `--require` (through NODE_OPTIONS) into every Node process the
// benchmark starts, children included. It appends JSON lines with this
// process's peak resident set size so far, from getrusage(2) via
// process.resourceUsage(), to the file named by BENCH_PEAK_RSS_FILE: at exit,
// and while it runs whenever the peak has grown by 10 MB, because a process
// that is killed never reaches 'exit' (the test runner ends its workers when
// the last file is done). The benchmark takes the largest line.
'use strict';
const { appendFileSync } = require('node:fs');
const { setInterval } = require('node:timers');
const { isMainThread } = require('node:worker_threads');

const file = process.env.BENCH_PEAK_RSS_FILE;
const STEP_KB = 10 * 1024;
const EVERY_MS = 200;

// Once a process: a worker thread (an ES module loader's hooks run in one) has the process's peak, not its argv.
if (file && isMainThread) {
  let recordedKb = 0;
  const record = () => {
    recordedKb = process.resourceUsage().maxRSS;
    appendFileSync(
      file,
      `${JSON.stringify({ pid: process.pid, maxRssKb: recordedKb, argv: process.argv.slice(1).join(' ') })}\n`,
    );
  };
  setInterval(() => {
    if (process.resourceUsage().maxRSS >= recordedKb + STEP_KB) record();
  }, EVERY_MS).unref();
  process.on('exit', record);
}
