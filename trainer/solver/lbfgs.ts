/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, Algorithms 7.4, 3.5, 3.6).
 * Minimises a smooth function given a callback that fills the gradient and returns the value.
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** History size. */
  memory?: number;
  maxIterations?: number;
  /** Stop when max |gradient| <= gradientTolerance * max(1, |f|). */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f over an iteration is below this. */
  functionTolerance?: number;
  onIteration?: (progress: LbfgsProgress) => void;
}

export interface LbfgsProgress {
  iteration: number;
  value: number;
  gradientNorm: number;
  evaluations: number;
}

export interface LbfgsResult extends LbfgsProgress {
  x: Float64Array;
  converged: boolean;
  reason: string;
}

const C1 = 1e-4; // sufficient decrease
const C2 = 0.9; // curvature (the usual choice for quasi-Newton methods)

export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const memory = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-5;
  const functionTolerance = options.functionTolerance ?? 1e-10;
  const n = x0.length;

  let x: Float64Array = Float64Array.from(x0);
  let gradient: Float64Array = new Float64Array(n);
  let evaluations = 1;
  let value = objective(x, gradient);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alphas = new Float64Array(memory);

  const evaluate: Objective = (point, grad) => {
    evaluations++;
    return objective(point, grad);
  };

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradientNorm = maxAbs(gradient);
    if (gradientNorm <= gradientTolerance * Math.max(1, Math.abs(value))) {
      return { x, value, gradientNorm, iteration: iteration - 1, evaluations, converged: true, reason: 'gradient below tolerance' };
    }

    // Two-loop recursion: direction = -H * gradient.
    direction.set(gradient);
    for (let k = sHistory.length - 1; k >= 0; k--) {
      alphas[k] = rhoHistory[k] * dot(sHistory[k], direction);
      axpy(-alphas[k], yHistory[k], direction);
    }
    const last = sHistory.length - 1;
    const gamma = last >= 0 ? dot(sHistory[last], yHistory[last]) / dot(yHistory[last], yHistory[last]) : 1 / Math.max(gradientNorm, 1e-12);
    scale(direction, gamma);
    for (let k = 0; k < sHistory.length; k++) {
      const beta = rhoHistory[k] * dot(yHistory[k], direction);
      axpy(alphas[k] - beta, sHistory[k], direction);
    }
    scale(direction, -1);

    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = yHistory.length = rhoHistory.length = 0;
      direction.set(gradient);
      scale(direction, -1 / Math.max(gradientNorm, 1e-12));
      slope = dot(gradient, direction);
    }

    const step = wolfeLineSearch(evaluate, x, value, gradient, direction, slope);
    if (!step) {
      return { x, value, gradientNorm, iteration, evaluations, converged: false, reason: 'line search failed to find a better point' };
    }

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = step.x[i] - x[i];
      y[i] = step.gradient[i] - gradient[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sHistory.length === memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }

    const decrease = (value - step.value) / Math.max(Math.abs(value), Math.abs(step.value), 1);
    x = step.x;
    gradient = step.gradient;
    value = step.value;
    options.onIteration?.({ iteration, value, gradientNorm: maxAbs(gradient), evaluations });
    if (decrease <= functionTolerance) {
      return { x, value, gradientNorm: maxAbs(gradient), iteration, evaluations, converged: true, reason: 'relative decrease below tolerance' };
    }
  }
  return { x, value, gradientNorm: maxAbs(gradient), iteration: maxIterations, evaluations, converged: false, reason: 'iteration limit reached' };
}

interface Point {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  slope: number;
}

/** Finds a step length satisfying the strong Wolfe conditions (N&W Algorithm 3.5). */
function wolfeLineSearch(
  objective: Objective,
  x: Float64Array,
  value0: number,
  gradient0: Float64Array,
  direction: Float64Array,
  slope0: number,
): Point | undefined {
  const at = (alpha: number): Point => {
    const point = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) point[i] = x[i] + alpha * direction[i];
    const gradient = new Float64Array(x.length);
    const value = objective(point, gradient);
    return { x: point, value, gradient, slope: dot(gradient, direction) };
  };
  const maxSteps = 25;
  let previousAlpha = 0;
  let previous: Point = { x, value: value0, gradient: gradient0, slope: slope0 };
  let alpha = 1;
  for (let i = 0; i < maxSteps; i++) {
    const current = at(alpha);
    if (!Number.isFinite(current.value) || current.value > value0 + C1 * alpha * slope0 || (i > 0 && current.value >= previous.value)) {
      return zoom(at, value0, slope0, previousAlpha, previous, alpha, current);
    }
    if (Math.abs(current.slope) <= -C2 * slope0) return current;
    if (current.slope >= 0) return zoom(at, value0, slope0, alpha, current, previousAlpha, previous);
    previousAlpha = alpha;
    previous = current;
    alpha *= 2;
  }
  return undefined;
}

/** N&W Algorithm 3.6, with a safeguarded cubic/quadratic interpolation, bisection as fallback. */
function zoom(
  at: (alpha: number) => Point,
  value0: number,
  slope0: number,
  loAlpha: number,
  lo: Point,
  hiAlpha: number,
  hi: Point,
): Point | undefined {
  let best: Point | undefined = lo.value < value0 ? lo : undefined;
  for (let i = 0; i < 30; i++) {
    const alpha = interpolate(loAlpha, lo, hiAlpha, hi);
    const current = at(alpha);
    if (!Number.isFinite(current.value) || current.value > value0 + C1 * alpha * slope0 || current.value >= lo.value) {
      hiAlpha = alpha;
      hi = current;
    } else {
      if (Math.abs(current.slope) <= -C2 * slope0) return current;
      if (current.slope * (hiAlpha - loAlpha) >= 0) {
        hiAlpha = loAlpha;
        hi = lo;
      }
      loAlpha = alpha;
      lo = current;
      best = current;
    }
    if (Math.abs(hiAlpha - loAlpha) < 1e-14) break;
  }
  return best;
}

function interpolate(aAlpha: number, a: Point, bAlpha: number, b: Point): number {
  const lo = Math.min(aAlpha, bAlpha);
  const hi = Math.max(aAlpha, bAlpha);
  const margin = 0.1 * (hi - lo);
  // Minimiser of the quadratic through (aAlpha, a.value) with slope a.slope and (bAlpha, b.value).
  const d = bAlpha - aAlpha;
  const denominator = 2 * (b.value - a.value - a.slope * d);
  let alpha = Number.isFinite(b.value) && denominator > 0 ? aAlpha - (a.slope * d * d) / denominator : NaN;
  if (!(alpha >= lo + margin && alpha <= hi - margin)) alpha = (lo + hi) / 2;
  return alpha;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

function scale(x: Float64Array, factor: number): void {
  for (let i = 0; i < x.length; i++) x[i] *= factor;
}

function maxAbs(x: Float64Array): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]));
  return max;
}
