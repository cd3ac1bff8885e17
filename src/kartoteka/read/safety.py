"""Opening containers and XML from files we did not make, without letting them hurt us.

EPUB and DOCX files are zip archives: before anything reads a member, the sizes the archive
declares are checked (Python's zipfile never inflates a member past its declared size, so the
declared sizes bound what reading costs). XML (ALTO, hOCR, the EPUB's XHTML) is parsed with
entities left unexpanded, no DTD loaded and no network: an XML bomb or an external entity
pointing at a local file or a URL does nothing.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from kartoteka.read.decode import ReadError

#: an archive that would inflate past this is refused (a long book with its images is a few
#: tens of megabytes)
MAX_UNCOMPRESSED = 512 * 2**20
MAX_MEMBERS = 20_000
#: text compresses some 3-10 times and XML up to ~30; a member that inflates more than this
#: (and is large enough to matter) is a zip bomb
MAX_RATIO = 100
RATIO_FROM_SIZE = 2**20

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip(data: bytes, path: str, what: str) -> zipfile.ZipFile:
    """The archive in `data`, after checking its declared sizes; ReadError if it is not one,
    is encrypted, or would inflate too far."""
    if data.startswith(_OLE_MAGIC):
        # Word and others save a password-protected .docx as an OLE container holding the
        # encrypted package
        raise ReadError(
            path,
            f"is an encrypted (password-protected) {what}; save a copy without a password "
            "and ingest that",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as e:
        raise ReadError(
            path, f"is not a readable {what} (not a zip archive: {e}); save it again and retry"
        ) from e
    if len(members) > MAX_MEMBERS:
        raise ReadError(
            path, f"holds {len(members)} files, more than a {what} has; refused as a zip bomb"
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ReadError(
                path,
                f"is an encrypted {what} ({member.filename} is password-protected); "
                "save a copy without a password and ingest that",
            )
        total += member.file_size
        if member.file_size > RATIO_FROM_SIZE and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ReadError(
                path,
                f"{member.filename} would inflate {member.file_size // max(member.compress_size, 1)}"
                f" times (to {member.file_size // 2**20} MiB); refused as a zip bomb",
            )
    if total > MAX_UNCOMPRESSED:
        raise ReadError(
            path,
            f"would inflate to {total // 2**20} MiB, more than the {MAX_UNCOMPRESSED // 2**20} MiB"
            f" a {what} may take; refused as a zip bomb (split the file if it is genuine)",
        )
    return archive


def xml_parser() -> etree.XMLParser:
    """An lxml parser that expands no entity, loads no DTD and reaches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def html_parser() -> etree.HTMLParser:
    """lxml's HTML parser (for hOCR and XHTML that is not always well-formed), offline."""
    return etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, path: str, what: str) -> etree._Element:
    """The root of the XML document in `data`; ReadError naming the line if it is malformed."""
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as e:
        where = f"line {e.lineno}: " if e.lineno else ""
        raise ReadError(
            path,
            f"is not well-formed XML ({where}{e.msg}); repair it or export the {what} again",
        ) from e
    if root is None:
        raise ReadError(path, f"is an empty XML document; export the {what} again")
    return root


def local_name(element) -> str:
    """The tag without its namespace ('' for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
