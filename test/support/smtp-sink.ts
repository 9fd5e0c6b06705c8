/** A real SMTP server on 127.0.0.1 that keeps what it receives (parsed), for delivery tests. */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpSink {
  port: number;
  received: ParsedMail[];
  /** Stops listening (the "SMTP server is down" case); start() listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  let server: SMTPServer | null = null;
  const sink: SmtpSink = {
    port,
    received,
    async start() {
      const s = new SMTPServer({
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        closeTimeout: 50,
        onData(stream, _session, cb) {
          simpleParser(stream).then(
            (m) => {
              received.push(m);
              cb();
            },
            (err: Error) => cb(err),
          );
        },
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(sink.port, '127.0.0.1', () => resolve());
      });
      sink.port = (s as unknown as { server: { address(): { port: number } } }).server.address().port;
      server = s;
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      const closed = new Promise<void>((r) => s.close(() => r()));
      // Pooled clients keep connections open: cut them, like a crashed server would.
      for (const c of (s as unknown as { connections: Set<{ close(): void }> }).connections) c.close();
      await closed;
    },
  };
  await sink.start();
  return sink;
}
