import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { skipTokenStackTraces } from '../app/token-stack-traces';

Testing.setupJest();

// Jest maps every frame of every stack trace through source maps; cdktf records
// one per token, which was 40% of the suite's time.
skipTokenStackTraces();
