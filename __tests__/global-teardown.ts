/** Jest's globalTeardown for every suite: {@link removeRunTemporaryDirectory}. */
export { removeRunTemporaryDirectory as default } from './temporary-directory';
