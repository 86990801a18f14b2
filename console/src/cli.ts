// "Copy as CLI": the AWS CLI command equivalent to a console action, exact enough to paste
// (arguments quoted for a POSIX shell, the endpoint this console is served from).
/** Quotes one argument for sh: bare when it is safe, else in single quotes. */
export function shellQuote(argument: string): string {
  return /^[A-Za-z0-9_\-./:=@,+%]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** `aws <service> <operation> <args...> --endpoint-url <this origin>`. */
export function awsCli(service: string, operation: string, args: (string | undefined)[] = []): string {
  const words = ['aws', service, operation, ...args.filter((a): a is string => a !== undefined), '--endpoint-url', location.origin];
  return words.map(shellQuote).join(' ');
}
