/**
 * Masks credentials that could reach a log line inside free text: bearer tokens, API keys,
 * passwords and secrets in JSON or key=value form, and the user:password part of URLs.
 */
const RULES: [RegExp, string][] = [
  [/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***'],
  [/("?(?:password|passwd|secret|token|api[-_]?key|x-api-key|authorization)"?\s*[:=]\s*"?)[^"\s,;&}]+/gi, '$1***'],
  [/([?&](?:token|key|password|secret)=)[^&\s"]+/gi, '$1***'],
  [/(\/\/)[^/@\s:]+:[^/@\s]+@/g, '$1***@'],
];

export function maskSecrets(text: string): string {
  return RULES.reduce((t, [re, by]) => t.replace(re, by), text);
}
