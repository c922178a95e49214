import datetime

import pytest
from django.utils import timezone

from alliance.demo.clock import as_of, days_ago


def test_inside_as_of_the_clock_reads_the_replayed_day_and_keeps_order():
    moment = days_ago(200)
    with as_of(moment):
        first, second = timezone.now(), timezone.now()
        assert timezone.localdate() == moment.date()
    assert moment <= first < second
    assert timezone.now() - moment > datetime.timedelta(days=199)


def test_the_future_cannot_be_replayed():
    with pytest.raises(ValueError), as_of(timezone.now() + datetime.timedelta(days=1)):
        pass
