import cProfile
import pstats
import time

from django.test.client import Client
from django.urls import reverse

from tests.api.base import ApiTestCase


class T(ApiTestCase):
    def test_prof(self):
        for _ in range(50):
            self.register()
        url = reverse("api:applications")
        raw = Client.request.__closure__[0].cell_contents  # the unwrapped request
        c = self.client

        def get():
            return raw(
                c,
                **c._base_environ(
                    PATH_INFO=url,
                    REQUEST_METHOD="GET",
                    QUERY_STRING="",
                    HTTP_AUTHORIZATION=f"Bearer {self.tokens['clerk']}",
                ),
            )

        assert get().status_code == 200
        pr = cProfile.Profile()
        t = time.perf_counter()
        pr.enable()
        for _ in range(40):
            get()
        pr.disable()
        print("ms/req", (time.perf_counter() - t) / 40 * 1000)
        st = pstats.Stats(pr)
        st.sort_stats("cumulative").print_stats(r"ninja|pydantic|api\.py|tokens|errors\.py", 30)
