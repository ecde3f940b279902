/**
 * Monitoring settings (dashboard, /v1/metrics, counters), from environment variables (Node) or
 * wrangler vars and secrets (workerd). The alert rules are the weekly `trainer monitor`'s own
 * (trainer/configs/retrain.json, `alerts`), read from the same file so the two cannot drift apart.
 */
import { z } from 'zod';
import retrainConfig from '../../trainer/configs/retrain.json';
import { parseSettings } from '../config';

export interface AlertPolicy {
  window_days: number;
  min_samples: number;
  min_correction_accuracy: number;
  max_low_confidence_share: number;
  low_confidence_threshold: number;
}

export const ALERT_POLICY: AlertPolicy = retrainConfig.alerts;

export interface MonitoringSettings {
  /** The admin key (ADMIN_API_KEY), asked for by the dashboard and /v1/metrics when access is 'admin'; undefined = none. */
  adminApiKey: string | undefined;
  /** 'public', or 'admin' (the admin key is needed). */
  access: 'public' | 'admin';
  /** Count predictions and feedback per minute. */
  enabled: boolean;
  flushIntervalMs: number;
  minuteRetentionMs: number;
  hourRetentionMs: number;
}

const HOUR_MS = 3_600_000;
export const MONITORING_DEFAULTS: MonitoringSettings = {
  adminApiKey: undefined,
  access: 'public',
  enabled: true,
  flushIntervalMs: 30_000,
  minuteRetentionMs: 48 * HOUR_MS,
  hourRetentionMs: 90 * 24 * HOUR_MS,
};

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const number = (fallback: number, min: number, max: number) =>
  z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a number' }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback));

const envSchema = z
  .object({
    /** Secret. */
    ADMIN_API_KEY: z.preprocess(blankIsUnset, z.string().min(16, 'must be at least 16 characters').optional()),
    DASHBOARD_ACCESS: z.preprocess(blankIsUnset, z.enum(['public', 'admin'], { error: 'must be public or admin' }).optional()),
    METRICS: z.preprocess((v) => (typeof v === 'string' ? blankIsUnset(v.toLowerCase()) : v), z.enum(['on', 'off', 'true', 'false'], { error: 'must be on or off' }).default('on')),
    METRICS_FLUSH_S: number(30, 1, 3_600),
    METRICS_MINUTE_RETENTION_H: number(48, 25, 24 * 31),
    METRICS_HOUR_RETENTION_D: number(90, 8, 3_650),
  })
  .refine((e) => e.DASHBOARD_ACCESS !== 'admin' || e.ADMIN_API_KEY, { message: 'DASHBOARD_ACCESS=admin needs ADMIN_API_KEY', path: ['DASHBOARD_ACCESS'] });

export const MONITORING_ENV_KEYS = ['ADMIN_API_KEY', 'DASHBOARD_ACCESS', 'METRICS', 'METRICS_FLUSH_S', 'METRICS_MINUTE_RETENTION_H', 'METRICS_HOUR_RETENTION_D'] as const;

/** Default access: behind the admin key when one is set, public otherwise. Errors never echo the key. */
export function monitoringSettingsFromEnv(env: Record<string, unknown>): MonitoringSettings {
  const e = parseSettings(envSchema, env, 'monitoring settings');
  return {
    adminApiKey: e.ADMIN_API_KEY,
    access: e.DASHBOARD_ACCESS ?? (e.ADMIN_API_KEY ? 'admin' : 'public'),
    enabled: e.METRICS === 'on' || e.METRICS === 'true',
    flushIntervalMs: e.METRICS_FLUSH_S * 1000,
    minuteRetentionMs: e.METRICS_MINUTE_RETENTION_H * HOUR_MS,
    hourRetentionMs: e.METRICS_HOUR_RETENTION_D * 24 * HOUR_MS,
  };
}
