import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs';

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const [a, b] = [x[0], x[1]];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { gradientTolerance: 1e-10, functionTolerance: 0 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it('reports every iteration with a falling value', () => {
    const values: number[] = [];
    minimizeLbfgs(
      (x, g) => {
        let f = 0;
        x.forEach((v, i) => {
          f += (i + 1) * (v - i) ** 2;
          g[i] = 2 * (i + 1) * (v - i);
        });
        return f;
      },
      new Float64Array(20),
      { onIteration: ({ value }) => values.push(value) },
    );
    expect(values.length).toBeGreaterThan(0);
    values.forEach((value, i) => i > 0 && expect(value).toBeLessThanOrEqual(values[i - 1]));
  });
});
