// Who signed a request, as IAM names it: the account's root (its account keys), an IAM user (a
// user's access key) or a role session (temporary credentials of a role). A leaf: plain data.

export type Principal =
  /** The account's own keys (and the platform admin's): full access to the account's resources. */
  | { kind: 'root'; accountId: string; arn: string }
  /** An IAM user's access key: what its policies allow, nothing more. */
  | { kind: 'user'; accountId: string; arn: string; userName: string; userId: string }
  /** Temporary credentials of a role (AssumeRole, or a function's execution environment). */
  | {
      kind: 'assumed-role'; accountId: string; arn: string;
      roleName: string; roleId: string; roleArn: string; sessionName: string;
      /** When the credentials stop working, epoch milliseconds. */
      expiresAt: number;
      /**
       * A function's session whose role did not exist when it was made (a placeholder role):
       * FAASBOX_UNKNOWN_ROLES decides what it may do while the role still does not exist.
       */
      placeholderRole?: true;
    };

/** `arn:aws:iam::<account>:root`. */
export const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** `arn:aws:iam::<account>:user<path><name>` (path `/` by default). */
export const userArn = (accountId: string, userName: string, path = '/') => `arn:aws:iam::${accountId}:user${path}${userName}`;

/** `arn:aws:iam::<account>:role<path><name>`. */
export const roleArn = (accountId: string, roleName: string, path = '/') => `arn:aws:iam::${accountId}:role${path}${roleName}`;

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, as STS renders a role session. */
export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

export const rootPrincipal = (accountId: string): Principal => ({ kind: 'root', accountId, arn: rootArn(accountId) });

/**
 * The account and name of a role ARN (`arn:aws:iam::123456789012:role/path/name` -> name), or
 * undefined when `arn` is not a role ARN. IAM role names are unique per account whatever the path.
 */
export function parseRoleArn(arn: string): { accountId: string; roleName: string; path: string } | undefined {
  const match = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/.exec(arn);
  return match ? { accountId: match[1]!, path: match[2]!, roleName: match[3]! } : undefined;
}
