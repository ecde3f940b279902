/**
 * POST /v1/sentiment: one text in, label + scores out. Declared with createRoute so the OpenAPI
 * document (phase 2) comes from the same schemas that validate requests.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { LABELS } from '../../shared/labels';
import type { AppEnv } from '../env';

// Phase 2 moves request schemas to shared/ and sets the real limits.
const sentimentRequest = z.object({ text: z.string().min(1).max(10_000) }).openapi('SentimentRequest');

const scores = z.object(Object.fromEntries(LABELS.map((label) => [label, z.number()])) as Record<(typeof LABELS)[number], z.ZodNumber>);

export const sentimentResult = z
  .object({
    label: z.enum(LABELS),
    confidence: z.number(),
    scores,
    model_version: z.string(),
  })
  .openapi('SentimentResult');

const route = createRoute({
  method: 'post',
  path: '/sentiment',
  request: { body: { required: true, content: { 'application/json': { schema: sentimentRequest } } } },
  responses: {
    200: { description: 'The predicted label and all class probabilities', content: { 'application/json': { schema: sentimentResult } } },
  },
});

export function sentimentRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>();
  routes.openapi(route, async (c) => {
    const { text } = c.req.valid('json');
    const { model, manifest } = await c.var.deps.models.current();
    const [prediction] = await model.predict([text]);
    return c.json({ ...prediction, model_version: manifest.version }, 200);
  });
  return routes;
}
