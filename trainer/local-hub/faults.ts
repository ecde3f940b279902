/**
 * Fault injection, for testing how clients behave when the Hub misbehaves. A rule makes the next
 * `count` matching requests (or all of them until cleared) answer an error status, lose their
 * connection, or wait first. Rules are tried in order; the first match is used up.
 */
import { z } from 'zod';

export const faultRuleSchema = z.object({
  /** `status` (default): answer `status`; `drop`: destroy the socket; `down`: drop until cleared; `delay`: only wait. */
  mode: z.enum(['status', 'drop', 'down', 'delay']).default('status'),
  status: z.number().int().min(400).max(599).default(500),
  /** How many requests to affect; absent = every matching request until cleared. */
  count: z.number().int().positive().optional(),
  /** Only requests of this route (e.g. `commit`, `lfs-upload`, `resolve`). */
  route: z.string().optional(),
  /** Only requests whose path contains this. */
  path: z.string().optional(),
  method: z.string().optional(),
  /** Wait this long before acting (or before answering normally, in `delay` mode). */
  delayMs: z.number().int().min(0).max(600_000).default(0),
  message: z.string().default('Injected fault (local-hub)'),
});

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema>;

export class Faults {
  private rules: Array<FaultRule & { remaining?: number }> = [];

  /** Add rules (after the existing ones). Returns this, to chain. */
  inject(...rules: FaultRuleInput[]): this {
    for (const input of rules) {
      const rule = faultRuleSchema.parse(input);
      this.rules.push({ ...rule, remaining: rule.count });
    }
    return this;
  }

  /** Shorthand: the next `count` requests (all, if omitted) fail with `status`. */
  failNext(count?: number, status = 500): this {
    return this.inject({ mode: 'status', status, count });
  }

  /** Shorthand: every connection is dropped until `clear()`. */
  down(): this {
    return this.inject({ mode: 'down' });
  }

  clear(): void {
    this.rules = [];
  }

  active(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The fault to apply to this request, if any; consumes one use of it. */
  take(target: { method: string; path: string; route: string }): FaultRule | null {
    const index = this.rules.findIndex(
      (r) => (!r.route || r.route === target.route) && (!r.path || target.path.includes(r.path)) && (!r.method || r.method.toUpperCase() === target.method),
    );
    if (index === -1) return null;
    const rule = this.rules[index];
    if (rule.remaining !== undefined && --rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }
}
