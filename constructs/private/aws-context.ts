import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The account, partition and region a stack deploys to, read once per stack.
 *
 * Constructs that build ARNs by hand (log groups, key policies) call
 * `AwsContext.of(this)` instead of each declaring their own data sources, so a
 * stack has exactly one `data.aws_caller_identity`, whatever it contains.
 */
export class AwsContext extends Construct {
  /** Returns the stack's context, creating it on first use. */
  public static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(AwsContext.ID);
    return existing instanceof AwsContext ? existing : new AwsContext(stack, AwsContext.ID);
  }

  private static readonly ID = 'aws-context';

  /** The 12-digit account ID. */
  public readonly accountId: string;
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  public readonly partition: string;
  /** The region code, e.g. `eu-west-1`. */
  public readonly region: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    // `id` is the region's name in the AWS provider's 5.x and 6.x alike; 5.x has no `region`, and 6.x deprecates
    // `name`.
    this.region = new DataAwsRegion(this, 'region').id;
  }

  /** An ARN in this account and region, e.g. `arn('logs', 'log-group:/x')`. */
  public arn(service: string, resource: string, options: { readonly global?: boolean } = {}): string {
    const region = options.global ? '' : this.region;
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
