import { requireAwsProvider } from '../private/provider-versions';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ECR_AUTH_ACTIONS, ECR_PUSH_ACTIONS } from '../../shared/iam-actions';
import { AwsContext } from '../private/aws-context';
import { checkIntegerBetween } from '../private/checks';
import { Grant, IGrantable } from '../core/grants';
import { grant } from '../private/policy-statements';
import { Check, checkOptionalProp, checkProp, throwIfInvalid } from '../private/validation';

export interface ImageRepositoryProps {
  /** The repository's name, e.g. `sample-flask-app`. */
  readonly repositoryName: string;
  /** The ARN of the customer-managed KMS key that encrypts the images. */
  readonly encryptionKeyArn: string;
  /**
   * How many tagged images to keep; older ones are expired.
   * @default 100
   */
  readonly maxImageCount?: number;
  /**
   * Days after which untagged images are expired.
   * @default 7
   */
  readonly untaggedImageExpiryDays?: number;
}

/** The provider resources of an {@link ImageRepository}. */
export interface ImageRepositoryResources {
  /** The repository: immutable tags, scan on push, encrypted with the key. */
  readonly repository: EcrRepository;
  /** Its lifecycle policy. */
  readonly lifecyclePolicy: EcrLifecyclePolicy;
}

/**
 * An ECR repository for the built images: tags are immutable (a tag always
 * names the image that was tested), images are scanned on push, encrypted
 * with the customer key, and a lifecycle policy bounds what is kept.
 *
 * Immutable tags mean the build pushes only the commit-SHA tag here, never
 * `latest` (see the build's `PUSH_LATEST_TAG`).
 */
export class ImageRepository extends Construct {
  /** The repository's URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  public readonly repositoryUrl: string;
  /** The repository's ARN, built from its name so that it is known at plan time. */
  public readonly repositoryArn: string;
  /** The registry host to `docker login` to. */
  public readonly registryHost: string;
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: ImageRepositoryResources;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    throwIfInvalid('ImageRepository', this, [
      ...checkProp('repositoryName', props.repositoryName, checkEcrRepositoryName),
      ...checkOptionalProp('maxImageCount', props.maxImageCount, checkIntegerBetween(1, 10000)),
      ...checkOptionalProp('untaggedImageExpiryDays', props.untaggedImageExpiryDays, checkIntegerBetween(1, 3650)),
    ]);
    requireAwsProvider(this);
    const maxImageCount = props.maxImageCount ?? 100;
    const untaggedDays = props.untaggedImageExpiryDays ?? 7;

    const repository = new EcrRepository(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.encryptionKeyArn }],
      forceDelete: false,
    });
    const lifecyclePolicy = new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untaggedDays} days`,
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: untaggedDays,
            },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the ${maxImageCount} most recent images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: maxImageCount },
            action: { type: 'expire' },
          },
        ],
      }),
    });

    this.node.defaultChild = repository;
    this.resources = { repository, lifecyclePolicy };
    this.repositoryUrl = repository.repositoryUrl;
    // Built from the name, known at plan time, so that a change to the repository never shows a policy change.
    this.repositoryArn = AwsContext.of(this).arn('ecr', `repository/${props.repositoryName}`);
    this.registryHost = Fn.element(Fn.split('/', repository.repositoryUrl), 0);
  }

  /** Lets `grantee` log in to ECR and push images to this repository. */
  public grantPush(grantee: IGrantable): Grant {
    return grant(
      grantee,
      { sid: 'EcrLogin', actions: ECR_AUTH_ACTIONS, resources: ['*'] },
      { sid: 'EcrPushImages', actions: ECR_PUSH_ACTIONS, resources: [this.repositoryArn] },
    );
  }
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/**
 * An ECR repository name (ECR API Reference, CreateRepository: repositoryName,
 * 2-256 characters matching `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`:
 * lowercase parts joined by single ".", "_" or "-", in "/"-separated namespaces).
 */
export const checkEcrRepositoryName: Check<string> = (value) =>
  typeof value === 'string' &&
  value.length >= 2 &&
  value.length <= 256 &&
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(value)
    ? undefined
    : 'must be an ECR repository name: 2-256 lowercase letters and digits, joined by single ".", "_" or "-", in ' +
      '"/"-separated parts (e.g. "team/app"), without a tag';
