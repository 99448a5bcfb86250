import { types } from 'node:util';
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

Testing.setupJest();

// cdktf records a stack trace for every token it creates, only to explain a
// token that later fails to resolve; Jest's source-map-support maps every frame
// of every one of them, which was 40% of the suite's time. Errors keep their
// mapped traces; cdktf's records get none.
const prepareErrorStack = Error.prepareStackTrace;
if (prepareErrorStack !== undefined) {
  Error.prepareStackTrace = (target, frames) => (types.isNativeError(target) ? prepareErrorStack(target, frames) : '');
}
