from typing import Any

from django.core.management.base import BaseCommand

from gongkai.demo.load import load_all_demo


class Command(BaseCommand):
    help = "载入演示数据（宛城区人民政府办公室及其依申请公开记录），已载入时不重复载入"

    def handle(self, *args: Any, **options: Any) -> None:
        if load_all_demo():
            self.stdout.write("演示数据已载入")
        else:
            self.stdout.write("演示数据已存在，未重复载入")
