"""CPython 3.11 keeps Python frames in 16 KB chunks of memory, mapped when a call needs
a new one and unmapped as soon as it returns (no chunk is kept for later: fixed in
3.13 and 3.14 by gh-142183, never in 3.11). A request whose frames go up and down
across a chunk boundary (template rendering recurses deep, many times per page)
maps and unmaps a chunk each time: measured on the alliance page, 300–600 mmap and
munmap calls and 1,300–2,300 page faults per request, 7–12 ms of CPU, depending only
on how deep the request starts (one more middleware moves the boundary)."""

# 16,384 slots of 8 bytes: the frame below no longer fits in a 16 KB chunk, so CPython
# maps one of 256 KB for it (the next power of two) and the request's frames use the
# other ~128 KB, about 600 frames deep, without crossing a boundary. Slots of the
# evaluation stack are reserved, never written: only the pages the request's own
# frames touch are faulted in.
RESERVED_SLOTS = 16384


def _call(get_response, request):
    return get_response(request)


_call.__code__ = _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + RESERVED_SLOTS)


class OneStackChunkMiddleware:
    """First of the chain: the whole request runs in one large chunk of frames."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return _call(self.get_response, request)
