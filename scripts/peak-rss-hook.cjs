// Loaded with `--require` (through NODE_OPTIONS) into every Node process the
// benchmark starts, children included. At exit it appends one JSON line with
// this process's peak resident set size, from getrusage(2) via
// process.resourceUsage(), to the file named by BENCH_PEAK_RSS_FILE.
'use strict';
const { appendFileSync } = require('node:fs');

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const record = { pid: process.pid, maxRssKb: process.resourceUsage().maxRSS, argv: process.argv.slice(1).join(' ') };
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  });
}
