"""Reading a received e-mail: who sent it, its subject, its text and its files.

Nothing here raises on a broken message. What the standard parser cannot make sense of (a
multipart without its boundaries, base64 that is not, a character set nobody knows) is read as
far as it goes and listed in `problems`; the caller holds such a message for review rather than
lodge a garbled complaint.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email import errors, policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import nh3

# Defects after which the text or the files may not be what the sender sent.
BROKEN = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.InvalidBase64PaddingDefect,
    errors.InvalidBase64CharactersDefect,
    errors.InvalidBase64LengthDefect,
    errors.MissingHeaderBodySeparatorDefect,
)
TEXT_MAX = 100_000  # characters of text kept from one message (the raw bytes keep all)


@dataclass(frozen=True)
class MailFile:
    name: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    message: Message
    sender: str = ""  # the From address, lower-cased ("" when it has none)
    recipients: list[str] = field(default_factory=list)  # To, Cc, Delivered-To, lower-cased
    subject: str = ""
    text: str = ""
    message_id: str = ""
    files: list[MailFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return header_text(self.message, name)


def header_text(message: Message, name: str) -> str:
    """A header as text, "" when absent; a header the parser chokes on is read raw."""
    try:
        value = message.get(name)
    except Exception:  # a malformed header can raise from the policy's parser
        value = None
        for key, raw in message.raw_items() if isinstance(message, EmailMessage) else []:
            if key.lower() == name.lower():
                value = raw
                break
    # A NUL is never meant, and PostgreSQL's text refuses it; the raw file keeps it.
    return " ".join(str(value).replace("\x00", "").split()) if value is not None else ""


def mail_parse(raw: bytes) -> ParsedMail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parsed = ParsedMail(message=message)
    _, address = parseaddr(header_text(message, "From"))
    parsed.sender = address.strip().lower() if "@" in address else ""
    if not parsed.sender:
        parsed.problems.append("no sender address")
    addresses = getaddresses(
        [header_text(message, name) for name in ("To", "Cc", "Delivered-To", "X-Original-To")]
    )
    parsed.recipients = list(dict.fromkeys(a.lower() for _, a in addresses if "@" in a))
    parsed.subject = header_text(message, "Subject")[:300]
    parsed.message_id = header_text(message, "Message-ID")[:300]
    plain: list[str] = []
    markup: list[str] = []
    for part in message.walk():
        for defect in part.defects:
            if isinstance(defect, BROKEN):
                parsed.problems.append(f"broken MIME ({type(defect).__name__})")
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        if content_type in {"text/plain", "text/html"} and disposition != "attachment":
            text = _text_of(part, parsed.problems)
            (plain if content_type == "text/plain" else markup).append(text)
        elif content_type.startswith(("message/", "multipart/")):
            continue
        else:
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                name = str(part.get_filename() or "").replace("\x00", "")
                name = name or f"attachment-{len(parsed.files) + 1}"
                parsed.files.append(
                    MailFile(name=str(name), content_type=content_type, content=content)
                )
    text = (
        "\n\n".join(plain)
        if any(t.strip() for t in plain)
        else "\n\n".join(html_to_text(m) for m in markup)
    )
    parsed.text = _tidy(text.replace("\x00", ""))[:TEXT_MAX]
    parsed.problems = list(dict.fromkeys(parsed.problems))
    return parsed


def _text_of(part: Message, problems: list[str]) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return data.decode(charset)
    except LookupError:
        problems.append(f"unknown character set {charset[:40]!r}")
    except UnicodeDecodeError:
        problems.append(f"text that is not valid {charset[:40]}")
    # Kept readable for the reviewer: undecodable bytes become U+FFFD.
    return data.decode("utf-8", errors="replace")


_BLOCK_END = re.compile(r"(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>")


def html_to_text(markup: str) -> str:
    """Text of an HTML body: line breaks where blocks end, every tag and script dropped."""
    marked = _BLOCK_END.sub("\n", markup)
    cleaned = nh3.clean(marked, tags=set(), strip_comments=True)
    return html.unescape(cleaned)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_QUOTE_HEADS = (
    re.compile(r"^On .{0,200}wrote:\s*$"),
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^_{10,}\s*$"),
    re.compile(r"^From:\s.+"),
)


def reply_text(text: str) -> str:
    """What the sender wrote above the quoted message and the signature of a reply."""
    kept: list[str] = []
    for line in text.split("\n"):
        if line.startswith(">") or line == "-- " or line == "--":
            break
        if any(pattern.match(line.strip()) for pattern in _QUOTE_HEADS):
            break
        kept.append(line)
    return _tidy("\n".join(kept))


def without_signature(text: str) -> str:
    """The text above a signature separator ("-- " on a line of its own)."""
    head, separator, _ = text.partition("\n-- \n")
    return head.strip() if separator else text
