import { useFastTokenResolution } from '../app/token-resolution';
import { skipTokenStackTraces } from '../app/token-stack-traces';

// Before any test file loads cdktf: cdktf creates tokens as it loads (a module-level
// reference in tfExpression.js), and Jest maps the frames of each captured stack
// through every file's source map, about 40 ms per test file. Its tokens, and every
// token after, capture nothing; the app skips them the same way.
skipTokenStackTraces();
// Tokens resolved as the app resolves them (app/token-resolution.ts); the golden
// copies, written by `npm run golden` with cdktf's own resolution, check the port.
useFastTokenResolution();
