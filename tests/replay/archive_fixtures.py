"""Builders for test inputs: MHTML shaped like Chrome's ``pageCapture.saveAsMHTML`` and PNGs."""

import email.policy
import struct
import zlib
from email.message import EmailMessage


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG."""
    row = b"\0" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(row * height))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_pixel(data: bytes, x: int, y: int) -> tuple[int, ...]:
    """The colour at (x, y) of an 8-bit, non-interlaced RGB or RGBA PNG (as screenshots are)."""
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, _height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, interlace) == (8, 0) and colour in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 4 if colour == 6 else 3
    stride = width * channels
    raw, prev = zlib.decompress(idat), bytearray(stride)
    for row_index in range(y + 1):
        start = row_index * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + predictor) & 0xFF
        prev = line
    return tuple(prev[x * channels : x * channels + 3])


def part(
    media_type: str,
    data: bytes,
    *,
    location: str | None = None,
    content_id: str | None = None,
    cte: str = "base64",
    charset: str | None = None,
) -> EmailMessage:
    """One MHTML part, with the headers Chrome writes."""
    maintype, subtype = media_type.split("/")
    message = EmailMessage()
    message.set_content(data, maintype=maintype, subtype=subtype, cte=cte)
    if charset:
        message.set_param("charset", charset)
    del message["MIME-Version"]
    if content_id:
        message["Content-ID"] = f"<{content_id}>"
    if location:
        message["Content-Location"] = location
    return message


def mhtml(page_url: str, *parts: EmailMessage) -> bytes:
    """A multipart/related MHTML document like Chrome's; the first part is the page."""
    root = EmailMessage()
    root["From"] = "<Saved by Blink>"
    root["Snapshot-Content-Location"] = page_url
    root["Subject"] = "captured page"
    root["MIME-Version"] = "1.0"
    root.add_header("Content-Type", "multipart/related", type="text/html")
    for each in parts:
        root.attach(each)
    return root.as_bytes(policy=email.policy.SMTP)
