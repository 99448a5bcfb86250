import { useSpeedups } from '../app/speedups';

// Before any test file loads cdktf: tokens are created and resolved as the app does it (app/speedups/), unless
// CI_PIPELINES_SPEEDUPS=off. cdktf creates tokens as it loads, so this comes first.
useSpeedups();
