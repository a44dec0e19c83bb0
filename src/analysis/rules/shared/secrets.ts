import type { Finding } from '../../../types.js';

/**
 * Names of secrets that a wallet or key library must never send anywhere: signing happens
 * locally, so a request carrying one of these is theft whatever the destination.
 */
export const SECRET_NAME =
  /mnemonic|seed_?phrase|seedPhrase|secret_?phrase|secretPhrase|recovery_?phrase|recoveryPhrase|private_?key|privateKey|priv_?key|privKey|secret_?key|secretKey|keystore|wallet_?(?:key|seed|data|json)|walletKey|vault/i;

/** Names that are only secrets next to crypto code (cloud SDKs upload certificate keys). */
export const NEEDS_CRYPTO_CONTEXT =
  /^(?:private_?key|privateKey|priv_?key|privKey|secret_?key|secretKey|keystore|vault)$/i;

/** Signs that a file deals with crypto wallets. */
export const CRYPTO_CONTEXT =
  /\b(?:web3|eth_account|eth_keys|bip_?(?:32|39|44)|bip_utils|hdwallet|mnemonic|solana|solders|bitcoin|ethereum|base58|ethers|tronweb|tronpy|wallet|metamask|phantom|keypair)\b/i;

/** A URL inside some decoded text. */
export const URL_IN_TEXT = /\b(?:https?|wss?|ftp):\/\/[^\s'"`<>)\\]+/i;

/** Environment variables that hold credentials (CI tokens, cloud keys, registry tokens). */
export const SECRET_ENV_NAME =
  /(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?|AUTH_KEY|WEBHOOK_URL)$|^(?:AWS_SECRET|AZURE_CLIENT_SECRET|GOOGLE_APPLICATION_CREDENTIALS|NPM_TOKEN|NODE_AUTH_TOKEN|GH_TOKEN|GITHUB_TOKEN|PYPI_|TWINE_PASSWORD)/;

/**
 * The service a secret variable belongs to (`GITHUB_TOKEN` → `GITHUB`): one library sends its
 * own service's token to that service; a payload carrying several services' secrets is a harvest.
 */
export function secretService(variable: string): string {
  return variable.split(/[_-]/)[0].toUpperCase();
}

/**
 * Whether the environment credentials a request carries amount to harvesting: secrets of two or
 * more services in one request, or any credential sent by code that runs by itself.
 */
export function harvestsEnvSecrets(variables: string, automatic: boolean): boolean {
  const names = variables.split(', ').filter(Boolean);
  const services = new Set(names.map(secretService));
  return services.size >= 2 || (automatic && names.length > 0);
}

/**
 * The finding for CI secret harvesting in one file's facts (either language), or undefined:
 * credentials from the environment put into a request payload.
 */
export function envSecretHarvest(
  rule: string,
  path: string,
  facts: readonly {
    kind: string;
    name: string;
    line: number;
    position: string;
    evidence: string;
    value?: string;
  }[],
  when: (position: string) => string,
): Finding | undefined {
  const harvest = facts.find(
    (f) => f.kind === 'env-secret-send' && harvestsEnvSecrets(f.name, f.position !== 'call'),
  );
  if (!harvest) return undefined;
  return {
    rule,
    severity: harvest.position === 'call' ? 'high' : 'critical',
    file: path,
    line: harvest.line,
    message: `This request carries credentials read from the environment (${harvest.name})${harvest.value ? ` to ${harvest.value}` : ''}: a library sends its own service's token in an auth header, not other services' secrets in its payload; it ${when(harvest.position)}.`,
    evidence: harvest.evidence,
  };
}
