// Stand-in for the evaluator's src/iam/managed-policies.ts (contract 1) until that lands: the same
// export, with AWSLambdaBasicExecutionRole only. Deleted when branch iam-eval is merged.

export interface ManagedPolicy {
  policyName: string;
  arn: string;
  path: string;
  description: string;
  defaultVersionId: string;
  /** AWS's document, JSON text. */
  document: string;
  createDate: string;
  updateDate: string;
}

const basicExecution: ManagedPolicy = {
  policyName: 'AWSLambdaBasicExecutionRole',
  arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  path: '/service-role/',
  description: 'Provides write permissions to CloudWatch Logs.',
  defaultVersionId: 'v1',
  document: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  }),
  createDate: '2015-04-09T15:03:43Z',
  updateDate: '2015-04-09T15:03:43Z',
};

export const AWS_MANAGED_POLICIES: ReadonlyMap<string, ManagedPolicy> = new Map([[basicExecution.arn, basicExecution]]);
