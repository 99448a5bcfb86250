import { useFastTokenResolution } from '../app/token-resolution';
import { skipTokenStackTraces } from '../app/token-stack-traces';

// Before any test file loads cdktf: the tests build and resolve tokens as the app does. cdktf creates tokens as it
// loads (a module-level reference in tfExpression.js); they, and every token after, capture no stack trace.
skipTokenStackTraces();
// Tokens resolved as the app resolves them (app/token-resolution.ts); the golden
// copies, written by `npm run golden` with cdktf's own resolution, check the port.
useFastTokenResolution();
