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
