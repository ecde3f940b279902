import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureModelProvider } from './test/fixture-provider';
import { warmUpApp } from './warm-up-app';
import { SERVING_DEFAULTS } from '../shared/settings';

describe('warmUpApp', () => {
  const real = globalThis.Response;
  afterEach(() => {
    globalThis.Response = real;
  });

  it('sends real requests through a copy of the app: nothing is logged, counted or stored', async () => {
    const models = fixtureModelProvider();
    const log = vi.fn();
    const capture = { buffer: { depthEstimate: vi.fn() }, accept: vi.fn() };
    await warmUpApp({ runtime: 'node', models, log, capture: capture as never });
    expect(models.status().state).toBe('ready');
    expect(log).not.toHaveBeenCalled();
    expect(capture.buffer.depthEstimate).not.toHaveBeenCalled();
    expect(capture.accept).not.toHaveBeenCalled();
  });

  it("uses stand-ins where a Response with a body cannot be constructed (workerd's global scope), and puts Response back", async () => {
    const refusing = class extends real {
      constructor(body?: BodyInit | null, init?: ResponseInit) {
        if (body) throw new Error('Disallowed operation called within global scope');
        super(body, init);
      }
    };
    globalThis.Response = refusing;
    await warmUpApp({ runtime: 'workerd', models: fixtureModelProvider() });
    expect(globalThis.Response).toBe(refusing);
  });

  it('fails on an answer other than 200, so a broken warm-up is noticed', async () => {
    const config = { ...SERVING_DEFAULTS, maxTextChars: 5 }; // the warm-up's texts are longer
    await expect(warmUpApp({ runtime: 'node', models: fixtureModelProvider(), config })).rejects.toThrow(/warm-up \/v1\/sentiment: HTTP 413/);
  });
});
