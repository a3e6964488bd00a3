import * as z from '../zod.ts';
import { linkSpecSchema } from '../spec.ts';
import { accepted, doctorRun, doctorStarted, errorBody, executionStatus, health } from './responses.ts';
import { driftRequest, teardownRequest } from './schemas.ts';
import { adoptRequest } from '../adopt/request.ts';

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
};

/** OpenAPI 3.1, generated from the same zod schemas that validate requests and shape answers. */
export function openApiDocument(serverUrl?: string) {
  const json = (schema: z.core.$ZodType, io: 'input' | 'output' = 'output') => ({
    'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
  });
  const errors = {
    '400': { description: 'malformed request', content: json(errorBody) },
    '401': { description: 'not authenticated (reason in error.code)', content: json(errorBody) },
  };
  // What every route with a JSON body may also answer (numeric keys keep their order in the document).
  const bodyErrors = {
    ...errors,
    '413': { description: 'body over 64 KiB', content: json(errorBody) },
    '415': { description: 'not application/json', content: json(errorBody) },
  };
  // What a route starting a run as a role answers for a role the deployment does not list.
  const roleRefused = {
    '403': { description: 'a role s.yaml vars.assumeRoles does not list (role.not_allowed)', content: json(errorBody) },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'zilliz-privatelink API',
      version: '1',
      description: 'Provision and watch Zilliz Cloud private links on Alibaba Cloud.',
    },
    // Relative by default: the trigger URL the document was fetched from.
    servers: [{ url: serverUrl ?? '/', description: 'the API function (FC HTTP trigger)' }],
    components: {
      // A signed request carries all three headers (one requirement naming the three schemes); see shared/http/auth.ts.
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <ZPL_API_TOKEN> (the scheme in any case)' },
        signature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Zpl-Signature',
          description:
            'v2=hex(HMAC-SHA256(ZPL_API_HMAC_SECRET, "v2"\\nMETHOD\\nPATH\\nQUERY\\nX-Zpl-Timestamp\\nX-Zpl-Nonce\\nhex(SHA256(body)))); QUERY: the query parameters RFC 3986-encoded as key=value, sorted, joined with &',
        },
        timestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Zpl-Timestamp',
          description: 'Unix seconds, within 5 minutes of the server clock (signed requests)',
        },
        nonce: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Zpl-Nonce',
          description: '16–64 of A–Z a–z 0–9 _ -, new for every request; a nonce seen before is refused (auth.replayed)',
        },
      },
    },
    security: [{ bearer: [] }, { signature: [], timestamp: [], nonce: [] }],
    paths: {
      '/healthz': {
        get: {
          operationId: 'getHealth',
          summary: 'Liveness, without authentication',
          security: [],
          responses: { '200': { description: 'alive', content: json(health) } },
        },
      },
      '/v1/links': {
        post: {
          operationId: 'provisionLink',
          summary: 'Provision (or converge) a link',
          description:
            'One run per link: a request for a link with a run in flight joins it when it asks for the same spec (defaults applied; lists compared as sets) and gets its own callback; a different spec is refused with 409 link.spec_differs, each differing field in error.fields.',
          parameters: [
            IDEMPOTENCY_KEY,
            {
              name: 'X-Zpl-Callback-Url',
              in: 'header',
              required: false,
              description:
                'POSTed the signed outcome ({type, execution, report}) when the run ends, also when the request joined a running one; https on a host in ZPL_CALLBACK_HOSTS',
              schema: { type: 'string', maxLength: 2048 },
            },
          ],
          requestBody: { required: true, content: json(linkSpecSchema, 'input') },
          responses: {
            '202': { description: 'started or joined', content: json(accepted) },
            '200': { description: 'the execution for this Idempotency-Key already finished', content: json(accepted) },
            ...bodyErrors,
            ...roleRefused,
            '409': {
              description:
                'a run is in flight with another spec (link.spec_differs, the fields in error.fields) or a teardown is (link.busy)',
              content: json(errorBody),
            },
            '422': { description: 'the spec is invalid (field errors), or the callback URL is refused', content: json(errorBody) },
          },
        },
      },
      '/v1/links/teardown': {
        post: {
          operationId: 'teardownLink',
          summary: 'Tear down a link (or some of its clusters): only what zpl created',
          parameters: [IDEMPOTENCY_KEY],
          requestBody: { required: true, content: json(teardownRequest(), 'input') },
          responses: {
            '202': { description: 'started or joined', content: json(accepted) },
            '200': { description: 'finished for this key', content: json(accepted) },
            ...bodyErrors,
            ...roleRefused,
            '409': { description: 'a provision run of the link is in flight (link.busy)', content: json(errorBody) },
            '422': { description: 'invalid body or spec', content: json(errorBody) },
          },
        },
      },
      '/v1/links/adopt': {
        post: {
          operationId: 'adoptLink',
          summary:
            "Take existing resources over for a link: the named endpoint, and the named security group, private zone and the zone's records of the spec's clusters",
          description:
            'Starts the adopt flow; its output (GET the status URL) lists what may not be adopted, what is adopted or left as yours, and how the link then differs from its spec. With confirm: true and nothing refused the ownership marks are written: from then on apply converges those resources on the spec, drift reports on them and teardown deletes them.',
          requestBody: { required: true, content: json(adoptRequest(), 'input') },
          responses: {
            '202': { description: 'started', content: json(accepted) },
            ...bodyErrors,
            ...roleRefused,
            '409': {
              description: 'a provision run, a teardown or another adoption of the link is in flight (link.busy)',
              content: json(errorBody),
            },
            '422': { description: 'invalid body or spec', content: json(errorBody) },
          },
        },
      },
      '/v1/drift-checks': {
        post: {
          operationId: 'startDriftCheck',
          summary: 'Start a drift check of every managed link (optionally remediating)',
          description:
            'Each request starts a run of its own; a request for the same check (regions, remediate) while one is in flight joins it. An Idempotency-Key names one run: the same key replays it, for another check it is refused (409 request.key_reused).',
          parameters: [IDEMPOTENCY_KEY],
          requestBody: { required: true, content: json(driftRequest(), 'input') },
          responses: {
            '202': { description: 'started or joined', content: json(accepted) },
            '200': { description: 'the run for this Idempotency-Key already finished', content: json(accepted) },
            ...bodyErrors,
            ...roleRefused,
            '409': { description: 'the Idempotency-Key was used for another drift check (request.key_reused)', content: json(errorBody) },
            '422': { description: 'invalid body', content: json(errorBody) },
          },
        },
      },
      '/v1/doctor': {
        post: {
          operationId: 'startDoctor',
          summary: 'Check, reading only, that the account and the Zilliz key can run a link spec',
          description:
            "zpl doctor's checks, run by the zpl-doctor flow under the steps' role and, for a spec with assumeRole, as that role. Every call is a read or a dry run; each request starts a run of its own. GET the status URL for the report.",
          requestBody: { required: true, content: json(linkSpecSchema, 'input') },
          responses: {
            '202': { description: 'started', content: json(doctorStarted) },
            ...bodyErrors,
            '422': { description: 'the spec is invalid (field errors)', content: json(errorBody) },
          },
        },
      },
      '/v1/doctor/{name}': {
        get: {
          operationId: 'getDoctorRun',
          summary: 'A doctor run: pending, done with the report, or failed',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'the run', content: json(doctorRun) },
            ...errors,
            '404': { description: 'no such doctor run', content: json(errorBody) },
          },
        },
      },
      '/v1/links/executions/{name}': {
        get: {
          operationId: 'getExecution',
          summary: 'An execution: status, current step, per-step timings, report',
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'flow',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['provision', 'teardown', 'drift', 'adopt'], default: 'provision' },
            },
          ],
          responses: {
            '200': { description: 'the execution', content: json(executionStatus) },
            ...errors,
            '404': { description: 'no such execution', content: json(errorBody) },
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          responses: { '200': { description: 'this document' }, '401': errors['401'] },
        },
      },
    },
  };
}
