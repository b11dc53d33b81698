import { MAX_TRACKED_KEYS, SIGN_IN_ACCOUNT_BACKOFF, SIGN_IN_ADDRESS_BACKOFF, type BackoffRule } from './rules.js';

/** The wait after `failures` failures in a row under `rule`: none while free, then doubling up to the cap. */
export function backoffWaitMs(failures: number, rule: BackoffRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxWaitMs, rule.firstWaitMs * 2 ** Math.min(failures - rule.free, 30));
}

interface Failures {
  count: number;
  last: number;
}

/** Failure counts per key under one rule. `maxKeys` null: never evicted (accounts, bounded by the users table). */
class FailureCounts {
  private readonly entries = new Map<string, Failures>();

  constructor(
    private readonly rule: BackoffRule,
    private readonly maxKeys: number | null,
  ) {}

  private current(key: string, now: number): Failures | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.last >= this.rule.forgetAfterMs) this.entries.delete(key);
    return this.entries.get(key);
  }

  waitMs(key: string, now: number): number {
    const entry = this.current(key, now);
    return entry ? Math.max(0, entry.last + backoffWaitMs(entry.count, this.rule) - now) : 0;
  }

  fail(key: string, now: number): void {
    const count = (this.current(key, now)?.count ?? 0) + 1;
    this.entries.delete(key); // re-inserted last: the Map's order is least recently failed first
    this.entries.set(key, { count, last: now });
    if (this.maxKeys !== null && this.entries.size > this.maxKeys) this.sweep(now, this.maxKeys);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Down to 90% of the bound, so a flood of new keys costs one pass per tenth of it, not one per key. */
  private sweep(now: number, maxKeys: number): void {
    for (const [key, entry] of this.entries) if (now - entry.last >= this.rule.forgetAfterMs) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= maxKeys * 0.9) break;
      this.entries.delete(key);
    }
  }
}

/** One sign-in try: the account the email names (null: no such account), the email as typed, the client key. */
interface SignInAttempt {
  accountId: string | null;
  email: string;
  client: string;
}

/**
 * Failed sign-ins slow down further tries of the same account and from the same client address with a growing
 * wait (server/limits/rules.ts), instead of a lock anyone could put on anyone's account. Accounts are counted
 * apart from unknown emails and addresses, and never evicted: a flood of failures from many addresses or for
 * made-up emails cannot push an account's count out. An unknown email is counted like an account, so the two
 * answer alike (429 after as many failures).
 */
export class SignInBackoff {
  private readonly accounts = new FailureCounts(SIGN_IN_ACCOUNT_BACKOFF, null);
  private readonly unknownEmails: FailureCounts;
  private readonly addresses: FailureCounts;

  constructor(maxKeys = MAX_TRACKED_KEYS) {
    this.unknownEmails = new FailureCounts(SIGN_IN_ACCOUNT_BACKOFF, maxKeys);
    this.addresses = new FailureCounts(SIGN_IN_ADDRESS_BACKOFF, maxKeys);
  }

  private nameOf(attempt: SignInAttempt): [FailureCounts, string] {
    return attempt.accountId === null ? [this.unknownEmails, attempt.email.toLowerCase()] : [this.accounts, attempt.accountId];
  }

  /** Milliseconds until this try may be made, or 0 when it may be made now. */
  waitMs(attempt: SignInAttempt, now: number): number {
    const [names, key] = this.nameOf(attempt);
    return Math.max(names.waitMs(key, now), this.addresses.waitMs(attempt.client, now));
  }

  fail(attempt: SignInAttempt, now: number): void {
    const [names, key] = this.nameOf(attempt);
    names.fail(key, now);
    this.addresses.fail(attempt.client, now);
  }

  /** The owner got in: their account starts afresh (the address's count fades by itself, so a valid account cannot reset it). */
  succeed(attempt: SignInAttempt): void {
    const [names, key] = this.nameOf(attempt);
    names.forget(key);
  }

  /** How many unknown emails and addresses are tracked (for the memory-bound test). */
  get trackedStrangers(): number {
    return this.unknownEmails.size + this.addresses.size;
  }
}
