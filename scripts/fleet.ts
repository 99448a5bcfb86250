import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG_PATH } from '../config/load';

/** A connection ARN of the documented shape; a fleet's connection-mode pipelines share it. */
const FLEET_CONNECTION_ARN =
  'arn:aws:codeconnections:eu-west-1:123456789012:connection/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';

/**
 * A configuration document of `size` pipelines, for measuring synth at scale.
 * Region and state come from the checked-in configuration. The pipelines
 * rotate through the three shapes the product builds (webhook with Docker Hub,
 * connection with ECR, webhook with ECR and Docker Hub credentials), and each
 * creates its own repository.
 */
export function fleetConfig(size: number): Record<string, unknown> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`fleet size: got ${size}; expected an integer >= 1`);
  const base = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
  const pipelines = Array.from({ length: size }, (_, index) => {
    const name = `app-${String(index + 1).padStart(3, '0')}`;
    const github = { owner: 'example-org', repository: name, branch: 'main', visibility: 'private', create: true };
    switch (index % 3) {
      case 0:
        return {
          name,
          github,
          trigger: 'webhook',
          registry: { type: 'dockerhub', image: `exampleorg/${name}` },
          appPath: 'sample-flask-app',
        };
      case 1:
        return {
          name,
          github: { ...github, connectionArn: FLEET_CONNECTION_ARN },
          trigger: 'connection',
          registry: { type: 'ecr', image: name },
          appPath: 'sample-flask-app',
        };
      default:
        return {
          name,
          github,
          trigger: 'webhook',
          registry: { type: 'ecr', image: name, dockerHubCredentials: true },
          appPath: 'sample-flask-app',
        };
    }
  });
  return { region: base.region, state: base.state, pipelines };
}
