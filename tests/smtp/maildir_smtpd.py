#!/usr/bin/python3
"""A small real SMTP server for the tests, on Debian's python3-aiosmtpd.

Each accepted message is written to DIR/new/<unique>.eml (written under DIR/tmp, then renamed, so a reader
never sees half a message). Recipients whose local part starts with "reject" get 550; while the file
DIR/tempfail exists every recipient gets 451. Each EHLO/HELO (one per connection for MailKit) appends a line to
DIR/sessions.log, so tests and benchmarks can count connections.

Usage: /usr/bin/python3 maildir_smtpd.py --host 127.0.0.1 --port 2525 --dir /tmp/mail
"""
import argparse
import asyncio
import os
import signal
import uuid

from aiosmtpd.smtp import SMTP


class MaildirHandler:
    def __init__(self, directory):
        self.directory = directory
        for sub in ("new", "tmp"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)

    def _note_session(self):
        with open(os.path.join(self.directory, "sessions.log"), "a") as log:
            log.write("session\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self._note_session()
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        session.host_name = hostname
        self._note_session()
        return "250 {}".format(server.hostname)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.directory, "tempfail")):
            return "451 4.3.0 Temporarily unavailable, try again later"
        if address.split("@")[0].lower().startswith("reject"):
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex + ".eml"
        temporary = os.path.join(self.directory, "tmp", name)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, os.path.join(self.directory, "new", name))
        return "250 2.0.0 Message accepted"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()

    handler = MaildirHandler(args.dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="test-smtp", data_size_limit=10 * 1024 * 1024, enable_SMTPUTF8=True),
        host=args.host, port=args.port, reuse_address=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("listening on {}:{}".format(args.host, args.port), flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
