"""Reading a PDF in tests (pypdfium2, a development dependency): its pages as images
and its text."""

import pypdfium2

# A page with less than this share of non-white pixels is taken for blank.
INK = 0.004


def pages(data: bytes) -> list[dict]:
    """Each page's text and its share of non-white pixels."""
    document = pypdfium2.PdfDocument(data)
    found = []
    try:
        for page in document:
            image = page.render(scale=0.5).to_pil().convert("L")
            histogram = image.histogram()
            dark = sum(histogram[:240])
            text = page.get_textpage().get_text_range()
            found.append({"text": text, "ink": dark / (image.width * image.height)})
    finally:
        document.close()
    return found


def text_of(data: bytes) -> str:
    return "\n".join(page["text"] for page in pages(data))
