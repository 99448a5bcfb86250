import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { skipTokenStackTraces } from '../app/token-stack-traces';

Testing.setupJest();

// cdktf captures a stack per token, which Jest then maps through source maps:
// that was 40% of the suite's time. The app skips them the same way.
skipTokenStackTraces();
