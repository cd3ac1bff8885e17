"""Reading files: encodings, and bad files reported with their path and a reason."""

import pytest

from kartoteka.read import ReadError, discover, read_document


def test_legacy_encoding_is_detected(tmp_path):
    path = tmp_path / "ru.txt"
    text = "Николай Ежов был наркомом внутренних дел СССР. " * 20
    path.write_bytes(text.encode("cp1251"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding.replace("_", "").lower() in {"cp1251", "windows1251"}


def test_utf8_bom_and_crlf_read_as_python_text_mode_does(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfFirst line\r\nSecond line\r\n")
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8-sig")
    assert doc.text == "First line\nSecond line\n"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("tags.html", b"<html><body><script>x()</script></body></html>", "no text"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as raised:
        read_document(path)
    assert str(path) in str(raised.value) and reason in raised.value.reason


def test_a_wrong_encoding_given_by_the_user_is_reported(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Ежов".encode())
    with pytest.raises(ReadError, match="--encoding"):
        read_document(path, encoding="ascii")


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_discover_walks_folders_and_keeps_named_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "c.png").write_text("c")  # not a kind we read
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("d")
    found = [p.name for p in discover([tmp_path])]
    assert found == ["a.txt", "b.md"]
    assert [p.name for p in discover([tmp_path / "c.png"])] == ["c.png"]


def test_html_with_a_stray_angle_bracket_still_reads_its_entities():
    from kartoteka.read import read_text

    doc = read_text("<p>Tom &amp; Jerry</p> x <b and Caf&eacute; y", name="x.html", kind="html")
    assert "Tom & Jerry" in doc.clean_text and doc.clean_text.endswith(" x <b and Café y")
