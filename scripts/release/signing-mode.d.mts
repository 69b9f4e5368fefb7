export const SIGNING_SECRETS: string[];
export function signingMode(env: Record<string, string | undefined>): {
  windows: 'azure' | 'signtool' | 'none';
  mac: 'signed' | 'none';
  tag: boolean;
  problems: string[];
};
