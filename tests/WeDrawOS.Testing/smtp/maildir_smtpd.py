#!/usr/bin/python3
"""A small real SMTP server for the tests, on Debian's python3-aiosmtpd.

Each accepted message is written to DIR/new/<unique>.eml (written under DIR/tmp, then renamed, so a reader
never sees half a message). Recipients whose local part starts with "reject" get 550; while the file
DIR/tempfail exists every recipient gets 451. The first EHLO/HELO of each connection appends a line to
DIR/sessions.log, so tests and benchmarks can count connections.

With --latency-ms N every reply (greeting included) is held back N ms, as a server across a network would
answer; the benchmark uses it to compare connection handling under realistic round trips.

With --tls-cert/--tls-key the server offers STARTTLS and requires it (or, with --implicit-tls, speaks TLS from
the first byte, as on port 465); with --auth-user/--auth-pass it requires AUTH with exactly those credentials.

With --allow-plaintext-auth it also accepts AUTH on a connection without TLS (a relay that offers no STARTTLS, or one
an attacker in the path stripped it from); tests use it to check that the client itself refuses to send the password.

With --data-delay-ms N each message is held N ms inside the DATA phase (after its content arrived, before the final
reply), as a slow relay holds it. While held it is listed in DIR/held/ (one file per message, naming its
recipients), so a test can tell that a message is still inside the server; creating DIR/release ends every hold
at once. A connection lost during the hold drops the message, as a real server does without its final reply.

With --pipelining the EHLO reply also offers PIPELINING (RFC 2920), as production relays do. aiosmtpd does not
advertise it itself, but it already serves it: it reads each command line from a buffered stream and answers
strictly in order, and it only drops buffered input after STARTTLS, as RFC 3207 requires. CHUNKING (BDAT) is not
offered: aiosmtpd does not implement BDAT.

Usage: /usr/bin/python3 maildir_smtpd.py --host 127.0.0.1 --port 2525 --dir /tmp/mail [--latency-ms 0]
       [--tls-cert cert.pem --tls-key key.pem [--implicit-tls]] [--auth-user u --auth-pass p [--allow-plaintext-auth]]
       [--pipelining] [--data-delay-ms 30000]
"""
import argparse
import asyncio
import os
import signal
import ssl
import uuid

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class MaildirHandler:
    def __init__(self, directory, pipelining=False, data_delay=0.0):
        self.directory = directory
        self.pipelining = pipelining
        self.data_delay = data_delay
        for sub in ("new", "tmp", "held"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)

    def _note_session(self):
        with open(os.path.join(self.directory, "sessions.log"), "a") as log:
            log.write("session\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        # Once per connection: after STARTTLS the client says EHLO again on the same connection.
        if not server.counted:
            server.counted = True
            self._note_session()
        if self.pipelining:
            # Before the last line, which must be "250 " (no dash) to end the reply.
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        session.host_name = hostname
        if not server.counted:
            server.counted = True
            self._note_session()
        return "250 {}".format(server.hostname)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.directory, "tempfail")):
            return "451 4.3.0 Temporarily unavailable, try again later"
        if address.split("@")[0].lower().startswith("reject"):
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def _hold(self, envelope):
        name = uuid.uuid4().hex
        marker = os.path.join(self.directory, "held", name)
        temporary = os.path.join(self.directory, "tmp", name)
        with open(temporary, "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        os.rename(temporary, marker)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.data_delay
        release = os.path.join(self.directory, "release")
        try:
            while loop.time() < deadline and not os.path.exists(release):
                await asyncio.sleep(min(0.05, deadline - loop.time()))
        finally:
            os.remove(marker)

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay > 0:
            await self._hold(envelope)
        name = uuid.uuid4().hex + ".eml"
        temporary = os.path.join(self.directory, "tmp", name)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, os.path.join(self.directory, "new", name))
        return "250 2.0.0 Message accepted"


class DelayedSMTP(SMTP):
    """SMTP whose every reply waits `latency` seconds first."""

    def __init__(self, handler, latency, **kwargs):
        super().__init__(handler, **kwargs)
        self._latency = latency
        self.counted = False

    async def push(self, status):
        if self._latency > 0:
            await asyncio.sleep(self._latency)
        await super().push(status)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-pass")
    parser.add_argument("--allow-plaintext-auth", action="store_true")
    parser.add_argument("--pipelining", action="store_true")
    parser.add_argument("--data-delay-ms", type=float, default=0)
    args = parser.parse_args()

    handler = MaildirHandler(args.dir, args.pipelining, args.data_delay_ms / 1000.0)
    options = dict(hostname="test-smtp", data_size_limit=10 * 1024 * 1024, enable_SMTPUTF8=True)
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if not args.implicit_tls:
            options.update(tls_context=context, require_starttls=True)
    if args.auth_user:
        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == args.auth_user
                  and auth_data.password.decode() == args.auth_pass)
            return AuthResult(success=ok, handled=False)
        # With implicit TLS the whole session is encrypted, but aiosmtpd only knows about STARTTLS.
        options.update(authenticator=authenticate, auth_required=True,
                       auth_require_tls=not (args.implicit_tls or args.allow_plaintext_auth))

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: DelayedSMTP(handler, args.latency_ms / 1000.0, **options),
        host=args.host, port=args.port, reuse_address=True,
        ssl=context if args.implicit_tls else None)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("listening on {}:{}".format(args.host, args.port), flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
