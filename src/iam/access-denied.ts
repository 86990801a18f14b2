// The refusal of an IAM authorization: a leaf error carrying AWS's AccessDenied message
// (accessDeniedMessage in src/iam/evaluate.ts). Each service renders it in its own shape
// (Lambda's 403 AccessDeniedException, SQS's AccessDenied, IAM's <Error><Code>AccessDenied</Code>...).

export class AccessDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}
