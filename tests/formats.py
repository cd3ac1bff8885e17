"""Sample sources in every laid-out format, made here from sentences of our own.

Each writer puts one small file in a folder and returns its path. The paged ones (PDF, ALTO,
hOCR) carry what printed books carry: a running head at the top of every page, a page number
at the foot, and a sentence (with a hyphenated word) that runs on over the page break.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = "THE QUIET YEARS"

#: page texts, line by line; page 1 ends inside a sentence, with "organi-" / "zation"
PAGES = [
    [
        "On 4 March 1936 General Pavel Orlov left Vienna for",
        "Prague, where Colonel Anton Weiss met him at the",
        "station. Weiss served the Foreign Office and the organi-",
    ],
    [
        "zation of the Vienna station, and he trusted nobody.",
        "In July 1937 Orlov was arrested in Prague by the police.",
        "Weiss wrote to Marta Lind about the arrest.",
    ],
    [
        "Lind answered from Geneva in August 1937.",
        "She never saw Orlov again.",
    ],
]


def write_pdf(folder: Path, name: str = "quiet.pdf", title: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    if title:
        pdf.set_title(title)
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    for number, lines in enumerate(PAGES, start=1):
        pdf.add_page()
        pdf.set_xy(10, 8)
        pdf.cell(128, 5, HEAD, align="C")
        y = 25
        for line in lines:
            pdf.set_xy(12, y)
            pdf.cell(0, 5, line)
            y += 4.5
        pdf.set_xy(10, 195)
        pdf.cell(128, 5, str(number), align="C")
    path = folder / name
    pdf.output(str(path))
    return path


def write_alto(folder: Path, name: str = "quiet.alto.xml", version: int = 4) -> Path:
    """One ALTO file holding the three pages, head and number in the page margins."""
    ns = f"http://www.loc.gov/standards/alto/ns-v{version}#"
    pages = []
    for number, lines in enumerate(PAGES, start=1):
        body = "".join(_alto_line(i, line) for i, line in enumerate(lines))
        pages.append(
            f'<Page ID="p{number}" PHYSICAL_IMG_NR="{number}" HEIGHT="2000" WIDTH="1400">'
            f'<TopMargin><TextBlock ID="h{number}">{_alto_line(-1, HEAD)}</TextBlock></TopMargin>'
            f'<PrintSpace><TextBlock ID="b{number}">{body}</TextBlock></PrintSpace>'
            f'<BottomMargin><TextBlock ID="n{number}">{_alto_line(40, str(number))}</TextBlock>'
            "</BottomMargin></Page>"
        )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="{ns}">'
        "<Description><MeasurementUnit>pixel</MeasurementUnit></Description>"
        f"<Layout>{''.join(pages)}</Layout></alto>\n"
    )
    path = folder / name
    path.write_text(xml, encoding="utf-8")
    return path


def _alto_line(row: int, line: str) -> str:
    y = 200 + row * 40
    items, x = [], 100
    words = line.split()
    for i, word in enumerate(words):
        hyphen = i == len(words) - 1 and word.endswith("-")
        content = word[:-1] if hyphen else word
        width = 18 * len(content)
        items.append(
            f'<String CONTENT="{escape(content)}" HPOS="{x}" VPOS="{y}" WIDTH="{width}"'
            f' HEIGHT="30"{" SUBS_TYPE=" + chr(34) + "HypPart1" + chr(34) if hyphen else ""}/>'
        )
        x += width
        if hyphen:
            items.append(f'<HYP CONTENT="-" HPOS="{x}" VPOS="{y}" WIDTH="10"/>')
        elif i < len(words) - 1:
            items.append(f'<SP HPOS="{x}" VPOS="{y}" WIDTH="12"/>')
            x += 12
    return (
        f'<TextLine HPOS="100" VPOS="{y}" WIDTH="{x - 100}" HEIGHT="30">{"".join(items)}</TextLine>'
    )


def write_hocr(folder: Path, name: str = "quiet.hocr") -> Path:
    """Tesseract-style hOCR: the head and the page number are ordinary lines, as Tesseract
    leaves them."""
    pages = []
    for number, lines in enumerate(PAGES, start=1):
        body = "".join(
            '<p class="ocr_par">' + "".join(_hocr_line(row, line) for row, line in rows) + "</p>"
            for rows in (
                [(0, HEAD)],
                [(i + 1, line) for i, line in enumerate(lines)],
                [(40, str(number))],
            )
        )
        pages.append(
            f'<div class="ocr_page" title="image page{number}.png; bbox 0 0 1400 2000;'
            f' ppageno {number - 1}">{body}</div>'
        )
    html = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title></title>'
        '<meta name="ocr-system" content="tesseract"/></head>'
        f"<body>{''.join(pages)}</body></html>\n"
    )
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


def _hocr_line(row: int, line: str) -> str:
    y = 200 + row * 40
    words = "".join(
        f'<span class="ocrx_word" title="bbox {100 + j * 120} {y} {210 + j * 120} {y + 30};'
        f' x_wconf 93">{escape(w)}</span> '
        for j, w in enumerate(line.split())
    )
    return f'<span class="ocr_line" title="bbox 100 {y} 1300 {y + 30}">{words}</span>'


#: the EPUB and Word samples: a chapter of plain paragraphs (reflowable, no running heads)
CHAPTER = [
    "The Letters",
    "In the spring of 1938 Marta Lind moved from Geneva to Lisbon.",
    "There she met Colonel Anton Weiss again on 12 May 1938.",
    "Weiss gave her the letters of General Pavel Orlov.",
]


def write_epub(
    folder: Path, name: str = "letters.epub", page_breaks: bool = True, creators: str = ""
) -> Path:
    """An EPUB 3 written by hand (zip, container, package, one chapter), with print page
    markers when `page_breaks`; `creators` is dc:creator markup for the package."""
    paragraphs = []
    for i, text in enumerate(CHAPTER):
        marker = (
            f'<span epub:type="pagebreak" role="doc-pagebreak" id="page{i + 11}" title="{i + 11}"/>'
            if page_breaks and i in (0, 2)
            else ""
        )
        tag = "h1" if i == 0 else "p"
        note = '<a epub:type="noteref" href="#n1">1</a>' if i == 3 else ""
        paragraphs.append(f"{marker}<{tag}>{escape(text)}{note}</{tag}>")
    chapter = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"'
        ' xmlns:epub="http://www.idpf.org/2007/ops"><head><title>The Letters</title></head>'
        f"<body>{''.join(paragraphs)}</body></html>"
    )
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf"'
        ' version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:0</dc:identifier><dc:title>The Letters</dc:title>'
        f"{creators}<dc:language>en</dc:language></metadata><manifest>"
        '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="c1"/></spine></package>'
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    path = folder / name
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", container, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/c1.xhtml", chapter, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_docx(
    folder: Path, name: str = "letters.docx", page_break: bool = True, title: str = ""
) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "a copy-typist"
    document.add_heading(CHAPTER[0], level=1)
    for i, text in enumerate(CHAPTER[1:], start=1):
        if page_break and i == 2:
            document.add_page_break()
        document.add_paragraph(text)
    section = document.sections[0]
    section.header.paragraphs[0].text = "A RUNNING HEAD IN THE HEADER"
    path = folder / name
    document.save(str(path))
    return path


def write_sample_folder(folder: Path) -> list[Path]:
    """One file of each laid-out format."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_pdf(folder),
        write_epub(folder),
        write_docx(folder),
        write_alto(folder),
        write_hocr(folder),
    ]
