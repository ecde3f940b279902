/** Where the trainer finds the Hub: flags first, then the environment. Tokens are never printed. */
import { PUBLIC_HUB_URL } from '../../shared/hub-endpoint';

export interface HubSettings {
  hubUrl: string;
  accessToken: string | undefined;
}

export function hubSettings(env: NodeJS.ProcessEnv = process.env, hubUrlFlag?: string): HubSettings {
  // Blank counts as unset: CI passes unset repository variables as empty strings.
  return { hubUrl: (hubUrlFlag || env.HF_ENDPOINT || PUBLIC_HUB_URL).replace(/\/+$/, ''), accessToken: env.HF_TOKEN || undefined };
}
