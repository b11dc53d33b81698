import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface AcceptedMail {
  to: string[];
  messageId: string;
}

export interface FaultySmtpServer {
  port: number;
  url: string;
  /** Every message the server answered 250 to, in order. */
  accepted: AcceptedMail[];
  /** Recipients refused at RCPT TO with this reply code: 550 (no such mailbox, for good) or 451 (try later). */
  refuse: Map<string, number>;
  /** A reply code for every MAIL FROM (a sender the server does not accept), or null. */
  refuseSender: number | null;
  /** With `requireAuth`: the one password accepted now (change it to play a wrong SMTP_URL password). */
  password: string;
  /** How long the server takes to accept each message, like a busy relay. */
  acceptDelayMs: number;
  /** Called when a message has been received in full, before the server answers 250 (the sender is waiting). */
  onReceived: ((received: number) => void) | null;
  /** Holds every message received from now on unanswered until the returned function is called. */
  hold(): () => void;
  waitForAccepted(count: number, timeoutMs?: number): Promise<AcceptedMail[]>;
  /**
   * Returns once no client is connected and every message received in full has been answered: after a sender is
   * gone (stopped or killed), what `accepted` holds then is all it will ever hold from it.
   */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that misbehaves on request: it refuses chosen recipients with a chosen reply
 * code and accepts slowly. It keeps only the envelope and Message-ID of what it accepted (enough to count
 * deliveries per invitation), so it stays quick with many messages.
 */
export async function startFaultySmtpServer(
  options: { port?: number; acceptDelayMs?: number; requireAuth?: { user: string; password: string } } = {},
): Promise<FaultySmtpServer> {
  const accepted: AcceptedMail[] = [];
  const refuse = new Map<string, number>();
  const state = {
    acceptDelayMs: options.acceptDelayMs ?? 0,
    onReceived: null as ((received: number) => void) | null,
    received: 0,
    refuseSender: null as number | null,
    password: options.requireAuth?.password ?? '',
    gate: Promise.resolve(),
  };
  const server = new SMTPServer({
    authOptional: !options.requireAuth,
    allowInsecureAuth: true,
    // Going down drops open (pooled) connections at once, as a crashed or restarted mail server does.
    closeTimeout: 50,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.requireAuth?.user && auth.password === state.password) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 authentication failed'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      if (state.refuseSender) return callback(Object.assign(new Error('5.7.1 sender not allowed'), { responseCode: state.refuseSender }));
      callback();
    },
    onRcptTo(address, _session, callback) {
      const code = refuse.get(address.address.toLowerCase());
      if (code) {
        // Real servers quote the address in their refusal, so it reaches error messages (and must not reach logs).
        const text =
          code >= 500 ? `5.1.1 <${address.address}>: mailbox unavailable` : `4.7.1 <${address.address}>: greylisted, try again later`;
        return callback(Object.assign(new Error(text), { responseCode: code }));
      }
      callback();
    },
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 64 * 1024) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const messageId = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '';
        state.received++;
        state.onReceived?.(state.received);
        void state.gate.then(() =>
          setTimeout(() => {
            accepted.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), messageId });
            callback();
          }, state.acceptDelayMs),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    refuse,
    get acceptDelayMs() {
      return state.acceptDelayMs;
    },
    set acceptDelayMs(ms: number) {
      state.acceptDelayMs = ms;
    },
    get refuseSender() {
      return state.refuseSender;
    },
    set refuseSender(code: number | null) {
      state.refuseSender = code;
    },
    get password() {
      return state.password;
    },
    set password(password: string) {
      state.password = password;
    },
    get onReceived() {
      return state.onReceived;
    },
    set onReceived(hook: ((received: number) => void) | null) {
      state.onReceived = hook;
    },
    hold() {
      let release!: () => void;
      state.gate = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    async waitForAccepted(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (accepted.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} accepted messages, got ${accepted.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return accepted;
    },
    async settled(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (server.connections.size > 0 || accepted.length < state.received) {
        if (Date.now() > deadline)
          throw new Error(
            `the relay did not settle: ${server.connections.size} connections open, ${state.received - accepted.length} messages unanswered`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
