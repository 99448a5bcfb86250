/**
 * What a step of the infrastructure pipeline reads is missing or cannot be read: a synth output, the project's
 * cdktf.json, the git checkout, the plan step's saved plans. The message names the file or directory and what to run
 * or change; the command exits 3 with it, without a stack trace.
 */
export class StepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepInputError';
  }
}
