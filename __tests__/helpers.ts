import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { CiPipeline, CiPipelineProps } from '../constructs/ci-pipeline';

/** The parts of a synthesized stack the tests read. */
export interface StackJson {
  readonly terraform?: Record<string, any>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly variable?: Record<string, any>;
  readonly output?: Record<string, any>;
  readonly provider?: Record<string, any>;
  /** Import blocks (`importFrom`). */
  readonly import?: readonly { readonly to: string; readonly id: string }[];
}

/** Synthesizes the constructs that `build` adds to a fresh test stack. */
export function synthScope(build: (scope: Construct) => void): { text: string; json: StackJson } {
  const text = Testing.synthScope(build);
  return { text, json: JSON.parse(text) };
}

/** The bodies of every resource (or data source) of `type`. */
export function bodies(json: StackJson, type: string, kind: 'resource' | 'data' = 'resource'): any[] {
  return Object.values(json[kind]?.[type] ?? {});
}

/** The one resource of `type`; fails when there is not exactly one. */
export function only(json: StackJson, type: string, kind: 'resource' | 'data' = 'resource'): any {
  const found = bodies(json, type, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${type}, found ${found.length}`);
  return found[0];
}

/** The body of the `type` block whose logical ID is `<idPrefix>_<hash>` (the construct path joined by "_"). */
export function byId(json: StackJson, type: string, idPrefix: string, kind: 'resource' | 'data' = 'resource'): any {
  const entries = Object.entries(json[kind]?.[type] ?? {}).filter(([id]) => id.replace(/_[0-9A-F]{8}$/, '') === idPrefix);
  if (entries.length !== 1) {
    const ids = Object.keys(json[kind]?.[type] ?? {}).join(', ');
    throw new Error(`expected one ${kind} ${type} with ID ${idPrefix}_*, found ${entries.length} among: ${ids}`);
  }
  return entries[0][1];
}

/** The statements of the policy document at construct path `idPrefix` (joined by "_"). */
export function policyStatements(json: StackJson, idPrefix: string): any[] {
  return byId(json, 'aws_iam_policy_document', idPrefix, 'data').statement;
}

/** The statement with ID `sid`. */
export function statement(statements: any[], sid: string): any {
  const found = statements.find((candidate) => candidate.sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid} in ${statements.map((s) => s.sid).join(', ')}`);
  return found;
}

/** A complete pipeline's props; `overrides` replaces top-level fields. */
export function pipelineProps(overrides: Partial<CiPipelineProps> = {}): CiPipelineProps {
  return {
    name: 'app',
    github: { owner: 'my-org', repository: 'app' },
    registry: { type: 'dockerhub', image: 'my-org/app' },
    appPath: 'service',
    ...overrides,
  };
}

/** Synthesizes one CiPipeline with construct ID `ci`. */
export function synthPipeline(overrides: Partial<CiPipelineProps> = {}) {
  let pipeline: CiPipeline | undefined;
  const result = synthScope((scope) => {
    pipeline = new CiPipeline(scope, 'ci', pipelineProps(overrides));
  });
  return { ...result, pipeline: pipeline! };
}

/** A minimal valid configuration document (config/pipelines.json's shape) with one Docker Hub pipeline. */
export const validConfigDocument = () => ({
  region: 'eu-west-1',
  state: { bucket: 'my-state-bucket', region: 'eu-west-1', keyPrefix: 'ci' },
  pipelines: [
    {
      name: 'app',
      github: { owner: 'my-org', repository: 'app' },
      registry: { type: 'dockerhub', image: 'my-org/app' },
    },
  ],
});
