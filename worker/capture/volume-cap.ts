/**
 * A token bucket for records: at most `perMinute` per minute, in bursts of as many. One per
 * process (Node) or isolate (workerd), so the cap across a fleet is approximate.
 */
export class VolumeCap {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perMinute;
    this.at = now();
  }

  /** Takes one token if there is one; `perMinute` 0 means no cap. */
  take(): boolean {
    if (this.perMinute <= 0) return true;
    const t = this.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((t - this.at) * this.perMinute) / 60_000);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
