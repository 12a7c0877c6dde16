import { apiKeyEntry, generateApiKey } from '../../lib/auth/api-keys';
import { SETTINGS } from '../../lib/config';

/** What the compose files' services read about auth, besides their own settings. */
export const AUTH_VARIABLES = [
  SETTINGS.apiKeys,
  SETTINGS.oidcIssuer,
  SETTINGS.oidcAudience,
  SETTINGS.oidcJwksUrl,
].map((setting) => setting.variable);
/** What the shell running compose provides: secrets are never in the file. */
export const SHELL: Record<string, string> = {
  API_KEYS: apiKeyEntry('ops', generateApiKey(), ['shop:admin']),
  PII_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/** `${VAR:-default}` and `${VAR:?message}` as compose fills them in from `shell`. */
export function interpolated(
  env: Record<string, string>,
  shell: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      String(value)
        .replace(
          /\$\{(\w+):-([^}]*)\}/g,
          (_, variable: string, fallback: string) => shell[variable] ?? fallback,
        )
        .replace(/\$\{(\w+):\?[^}]*\}/g, (whole: string, variable: string) => shell[variable] ?? whole),
    ]),
  );
}
