// Runs inside QuickJS, bundled by scripts/guest-sdk.mjs into every preinstalled AWS SDK client
// (not loaded as text like the *.guest.js files). What Lambda's Node.js runtime gives a client that
// is not told otherwise: the region, the endpoint and the credentials from the environment, and an
// HTTP handler over the guest's fetch whose bodies are Node streams (readable-stream), as the
// SDK's Node build answers them. Owns no state.
import { Readable } from 'node:stream';
import { FetchHttpHandler } from '@smithy/fetch-http-handler';
// The SDK's own Node.js stream helpers (scripts/guest-sdk.mjs; 'node:stream' is readable-stream here).
import { sdkStreamMixin, streamCollector } from '@smithy/core/serde';

/** `AWS_ENDPOINT_URL_<SERVICE>`'s suffix for an SDK service id, as the SDK's Node.js build derives it ("CloudWatch Logs" -> CLOUDWATCH_LOGS). */
const serviceEnvSuffix = (serviceId) => serviceId.toUpperCase().replace(/ /g, '_');

const env = () => (typeof process === 'object' && process !== null && process.env) || {};

/**
 * The SDK's fromEnv credential provider: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN (the function's role, minted for its environment), read at each resolution.
 */
function credentialsFromEnvironment() {
  return async () => {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken, AWS_CREDENTIAL_EXPIRATION: expiration } = env();
    if (!accessKeyId || !secretAccessKey) {
      const error = new Error('Could not load credentials from any providers');
      error.name = 'CredentialsProviderError';
      throw error;
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }), ...(expiration && { expiration: new Date(expiration) }) };
  };
}

/** The guest's fetch with the response body as a Node Readable (the bytes arrive whole). */
async function fetchWithNodeBody(request) {
  const response = await fetch(request);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, statusText: response.statusText, headers: response.headers, body: Readable.from(bytes.byteLength > 0 ? [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)] : []) };
}

/** A handler given as is; handler options (`{ requestTimeout }`) go to the fetch handler over the guest's fetch. */
function requestHandler(given) {
  if (given !== undefined && given !== null && typeof given.handle === 'function') return given;
  return new FetchHttpHandler({ ...(typeof given === 'object' && given !== null ? given : {}), customFetch: fetchWithNodeBody });
}

/**
 * `config` with Lambda's environment defaults for what it leaves unset; what it sets wins, as in
 * the SDK's Node.js build. `serviceId` is the client's SDK service id ("S3", "CloudWatch Logs").
 */
export function withLambdaDefaults(config, serviceId) {
  const given = config ?? {};
  const variables = env();
  const ignoreEndpoints = given.ignoreConfiguredEndpointUrls === true || variables.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true';
  const endpoint = given.endpoint ?? (ignoreEndpoints ? undefined : variables[`AWS_ENDPOINT_URL_${serviceEnvSuffix(serviceId)}`] || variables.AWS_ENDPOINT_URL || undefined);
  const region = given.region ?? (variables.AWS_REGION || variables.AWS_DEFAULT_REGION || undefined);
  return {
    ...given,
    ...(region !== undefined && { region }),
    ...(endpoint !== undefined && { endpoint }),
    // faasbox's S3 answers at the endpoint's own host (path style): `<bucket>.<endpoint host>` is
    // no host a function can reach. A function that sets forcePathStyle itself keeps its value.
    ...(serviceId === 'S3' && endpoint !== undefined && given.endpoint === undefined && given.forcePathStyle === undefined && { forcePathStyle: true }),
    credentialDefaultProvider: given.credentialDefaultProvider ?? (() => credentialsFromEnvironment()),
    requestHandler: requestHandler(given.requestHandler),
    streamCollector: given.streamCollector ?? streamCollector,
    sdkStreamMixin: given.sdkStreamMixin ?? sdkStreamMixin,
  };
}
