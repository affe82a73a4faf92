"""An SMTP server for the server's tests, in the foreground until it is killed:

    .tools/aiosmtpd/bin/python scripts/smtp-sink.py HOST PORT FOLDER

aiosmtpd (installed into .tools/aiosmtpd by `scripts/ensure-tools.sh test`), started by
server/tests/common/outside.rs. No TLS, no authentication; SMTPUTF8 and 8BITMIME offered.

Every message accepted is kept in FOLDER as NNNNNN.eml, the bytes received after DATA
unchanged (CRLF line ends, the dots unstuffed), beside NNNNNN.json, its envelope
({"mail_from": ..., "rcpt_tos": [...], "smtp_utf8": ...}); each file is written under a
temporary name and renamed, the .json last, so a .json means its message is complete.

Recipients whose address starts with "bounce" (bounce@…, bounce-7@…) are refused at
RCPT TO with a permanent 550 5.1.1 (no such mailbox); those starting with "defer" with a
temporary 451 4.3.0. Everyone else is accepted. Prints "ready" once it listens. Exits
when its standard input closes: when the test process that started it ends, even killed.
"""

import asyncio
import json
import os
import sys
import threading

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.rsplit("@", 1)[0].lower()
        if local.startswith("bounce"):
            return f"550 5.1.1 <{address}>: no such mailbox here"
        if local.startswith("defer"):
            return f"451 4.3.0 <{address}>: try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = f"{self.count:06d}"
        self.write(name + ".eml", envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "smtp_utf8": bool(envelope.smtp_utf8),
        }
        self.write(name + ".json", json.dumps(meta).encode())
        return f"250 2.0.0 OK: queued as {name}"

    def write(self, name, data):
        tmp = os.path.join(self.folder, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.folder, name))


def exit_at_end_of_input():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


async def main(host, port, folder):
    os.makedirs(folder, exist_ok=True)
    handler = Sink(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="smtp.hromada.test"),
        host=host,
        port=port,
    )
    threading.Thread(target=exit_at_end_of_input, daemon=True).start()
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: smtp-sink.py HOST PORT FOLDER")
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
