/** Columns of migration 014 (account duties); merged into Database in schema.ts. */

export interface AccountDutiesColumns {
  /** 1 when the system admin set the password: the holder must change it before anything else. */
  must_change_password?: number;
}

export interface OutboxSecretsColumns {
  /** Encrypted JSON of the payload's secret fields (one-time code, query code); null when none. */
  secrets_enc?: string | null;
}
