/** GET /v1/model: the manifest of the model that serves predictions (loads it if needed). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { modelManifestSchema } from '../api-schemas';
import type { AppEnv } from '../deps';
import { errorResponses } from '../errors';

const route = createRoute({
  method: 'get',
  path: '/model',
  summary: 'The serving model: version, metrics, featurizer, training data',
  description: 'The manifest.json published with the model. Loads the model first if no request has yet.',
  responses: {
    200: { description: 'The manifest', content: { 'application/json': { schema: modelManifestSchema } } },
    ...errorResponses('model_unavailable', 'internal_error'),
  },
});

export function modelRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.openapi(route, async (c) => {
    const { manifest } = await c.get('deps').models.current();
    return c.json(manifest, 200);
  });
  return routes;
}
