from django.http import HttpResponse
from django.test import RequestFactory

from alliance.upkeep.stack import RESERVED_SLOTS, OneStackChunkMiddleware, _call


def test_the_request_passes_through_unchanged():
    response = HttpResponse("ok")
    request = RequestFactory().get("/")
    seen = []

    def get_response(r):
        seen.append(r)
        return response

    assert OneStackChunkMiddleware(get_response)(request) is response
    assert seen == [request]


def test_the_frame_reserves_more_than_a_chunk():
    # A 16 KB chunk holds 2,048 slots: the frame must not fit in one.
    assert _call.__code__.co_stacksize >= RESERVED_SLOTS > 2048


def test_it_is_first_of_the_chain(settings):
    assert settings.MIDDLEWARE[0] == "alliance.upkeep.stack.OneStackChunkMiddleware"
