import * as z from '../zod.ts';
import { linkSpecSchema } from '../spec.ts';
import { accepted, errorBody, executionStatus, health } from './responses.ts';
import { driftRequest, teardownRequest } from './schemas.ts';
import { adoptRequest } from '../adopt/request.ts';

/** OpenAPI 3.1, generated from the same zod schemas that validate requests and shape answers. */
export function openApiDocument(serverUrl?: string) {
  const json = (schema: z.core.$ZodType, io: 'input' | 'output' = 'output') => ({
    'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
  });
  const errors = {
    '400': { description: 'malformed request', content: json(errorBody) },
    '401': { description: 'not authenticated (reason in error.code)', content: json(errorBody) },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'zilliz-privatelink API',
      version: '1',
      description: 'Provision and watch Zilliz Cloud private links on Alibaba Cloud.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        signature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Zpl-Signature',
          description: 'v1=hex(HMAC-SHA256(secret, METHOD\\nPATH\\nX-Zpl-Timestamp\\nhex(SHA256(body))))',
        },
      },
    },
    security: [{ bearer: [] }, { signature: [] }],
    paths: {
      '/healthz': { get: { security: [], responses: { '200': { description: 'alive', content: json(health) } } } },
      '/v1/links': {
        post: {
          summary: 'Provision (or converge) a link',
          description:
            'One run per link: a request for a link with a run in flight joins it when it asks for the same spec (defaults applied; lists compared as sets) and gets its own callback; a different spec is refused with 409 link.spec_differs, each differing field in error.fields.',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } },
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
            ...errors,
            '409': {
              description:
                'a run is in flight with another spec (link.spec_differs, the fields in error.fields) or a teardown is (link.busy)',
              content: json(errorBody),
            },
            '413': { description: 'body over 64 KiB', content: json(errorBody) },
            '415': { description: 'not application/json', content: json(errorBody) },
            '422': { description: 'the spec is invalid (field errors), or the callback URL is refused', content: json(errorBody) },
          },
        },
      },
      '/v1/links/teardown': {
        post: {
          summary: 'Tear down a link (or some of its clusters): only what zpl created',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } },
          ],
          requestBody: { required: true, content: json(teardownRequest, 'input') },
          responses: {
            '202': { description: 'started or joined', content: json(accepted) },
            '200': { description: 'finished for this key', content: json(accepted) },
            ...errors,
            '422': { description: 'invalid body or spec', content: json(errorBody) },
          },
        },
      },
      '/v1/links/adopt': {
        post: {
          summary:
            "Take existing resources over for a link: the named endpoint, and the named security group, private zone and the zone's records of the spec's clusters",
          description:
            'Starts the adopt flow; its output (GET the status URL) lists what may not be adopted, what is adopted or left as yours, and how the link then differs from its spec. With confirm: true and nothing refused the ownership marks are written: from then on apply converges those resources on the spec, drift reports on them and teardown deletes them.',
          requestBody: { required: true, content: json(adoptRequest, 'input') },
          responses: {
            '202': { description: 'started', content: json(accepted) },
            ...errors,
            '409': {
              description: 'a provision run, a teardown or another adoption of the link is in flight (link.busy)',
              content: json(errorBody),
            },
            '413': { description: 'body over 64 KiB', content: json(errorBody) },
            '415': { description: 'not application/json', content: json(errorBody) },
            '422': { description: 'invalid body or spec', content: json(errorBody) },
          },
        },
      },
      '/v1/drift-checks': {
        post: {
          summary: 'Start a drift check of every managed link (optionally remediating)',
          requestBody: { required: true, content: json(driftRequest, 'input') },
          responses: {
            '202': { description: 'started or joined', content: json(accepted) },
            ...errors,
            '422': { description: 'invalid body', content: json(errorBody) },
          },
        },
      },
      '/v1/links/executions/{name}': {
        get: {
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
      '/v1/openapi.json': { get: { responses: { '200': { description: 'this document' } } } },
    },
  };
}
