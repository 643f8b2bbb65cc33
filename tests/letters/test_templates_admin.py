"""The template files, an administrator's replacement wording, and the admin that refuses a
replacement which does not render."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command
from django.template import Engine
from django.urls import reverse

from gongkai.cases import services as cases
from gongkai.cases.models import Application
from gongkai.cases.services import ServiceError
from gongkai.disclosure.context import letter_context
from gongkai.disclosure.kinds import CONTEXT_VARIABLES, LETTER_KINDS, template_name
from gongkai.disclosure.models import LetterTemplate
from gongkai.disclosure.services import (
    letter_render,
    letter_template_check,
    letter_template_save,
    render_text,
    sample_case,
)
from gongkai.test import PASSWORD, BaseTestCase
from tests.letters.reading import opened, text_of

LETTERS = Path(__file__).resolve().parents[2] / "gongkai/disclosure/templates/disclosure/letters"
D = dt.date


class TemplateFileTests(BaseTestCase):
    def test_there_is_one_file_per_kind_and_nothing_else_but_partials(self) -> None:
        kinds = {path.stem for path in LETTERS.glob("*.txt") if not path.stem.startswith("_")}
        self.assertEqual(kinds, set(LETTER_KINDS))
        self.assertEqual(len(LETTER_KINDS), 27)  # 21 outcomes, 4 notices, 2 forms

    def test_every_file_renders_on_the_sample_case(self) -> None:
        for kind in LETTER_KINDS:
            with self.subTest(kind):
                source = Engine.get_default().get_template(template_name(kind)).source
                letter_template_check(kind=kind, body=source)

    def test_every_documented_variable_is_in_the_context(self) -> None:
        application, events = sample_case("r_open")
        facts = letter_context(
            application=application, kind="r_open", on=D(2025, 3, 3), events=events
        )
        facts |= {"you": "", "remedy": ""}
        for names, _ in CONTEXT_VARIABLES:
            first, *rest = [name.strip() for name in names.split("/")]
            root, _, attribute = first.partition(".")
            with self.subTest(first):
                self.assertIn(root, facts)
                for name in [attribute, *(r.lstrip(".") for r in rest)] if attribute else []:
                    self.assertIn(name, facts[root])

    def test_no_template_leaves_a_variable_unknown_to_the_context(self) -> None:
        documented = {re.split(r"[ .]", names)[0] for names, _ in CONTEXT_VARIABLES}
        for path in LETTERS.glob("*.txt"):
            for name in re.findall(r"{{\s*([a-z_]+)", path.read_text("utf-8")):
                with self.subTest(f"{path.name}: {name}"):
                    self.assertIn(name, documented)

    def test_wording_is_in_the_templates_not_text_escaped_as_html(self) -> None:
        app = self.register(name="张三 & <李四>")
        text = text_of(letter_render(application=app, kind="r_open"))
        self.assertIn("张三 & <李四>：", text)


class ReplacementTests(BaseTestCase):
    sysadmin: User
    reviewer: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_administrators()

    BODY = "替换后的标题\n= {{ doc_no }}\n\n< {{ applicant.name }}：\n\n{{ you }}的申请已办结。{{ remedy }}\n\n> {{ agency.name }}\n> {{ letter_date }}\n"

    def reply(self) -> Application:
        return cases.application_reply(
            actor=self.reviewer, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_open", today=D(2025, 3, 10),
        )  # fmt: skip

    def test_an_administrators_replacement_is_used_and_deleting_it_restores_the_file(self) -> None:
        app = self.reply()
        letter_template_save(actor=self.sysadmin, kind="r_open", body=self.BODY)
        doc = opened(letter_render(application=app, kind="r_open"))
        self.assertEqual(doc.paragraphs[0].text, "替换后的标题")
        self.assertIn("您的申请已办结。您如对本答复不服", doc.paragraphs[3].text)
        self.assertEqual(LetterTemplate.objects.get().updated_by, self.sysadmin)
        LetterTemplate.objects.all().delete()
        doc = opened(letter_render(application=app, kind="r_open"))
        self.assertEqual(doc.paragraphs[0].text, "政府信息予以公开告知书")

    def test_saving_again_replaces_the_body(self) -> None:
        letter_template_save(actor=self.sysadmin, kind="r_open", body=self.BODY)
        letter_template_save(actor=None, kind="r_open", body="另一标题\n\n正文")  # command line
        row = LetterTemplate.objects.get()
        self.assertEqual((row.body, row.updated_by), ("另一标题\n\n正文", None))

    def test_only_the_system_administrator_changes_the_wording(self) -> None:
        # The wording is the installation's, used by every organisation (decision U-1).
        for persona in ("admin", "reviewer", "secadmin", "auditor"):
            with self.subTest(persona), self.assertRaises(ServiceError) as caught:
                letter_template_save(actor=getattr(self, persona), kind="r_open", body=self.BODY)
            self.assertEqual(caught.exception.kind, "forbidden")
        self.assertFalse(LetterTemplate.objects.exists())

    def test_a_body_with_a_syntax_error_is_refused_with_the_engines_message(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            letter_template_save(
                actor=self.sysadmin, kind="r_open", body="标题\n{% if note %}未闭合"
            )
        self.assertIn("模板无法渲染", caught.exception.message)
        self.assertIn("endif", caught.exception.message)
        self.assertFalse(LetterTemplate.objects.exists())

    def test_a_body_including_a_missing_file_is_refused(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            letter_template_check(
                kind="fee", body='标题\n{% include "disclosure/letters/_nothing.txt" %}'
            )
        self.assertIn("_nothing.txt", caught.exception.message)

    def test_a_body_without_a_title_is_refused(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            letter_template_check(kind="fee", body="{% if False %}标题{% endif %}\n")
        self.assertIn("标题", caught.exception.message)

    def test_a_body_for_an_unknown_kind_is_refused(self) -> None:
        with self.assertRaises(ServiceError):
            letter_template_check(kind="nonsense", body="标题")

    def test_the_shared_phrases_render_as_plain_text(self) -> None:
        application, events = sample_case("r_deny_secret")
        facts = letter_context(
            application=application, kind="r_deny_secret", on=D(2025, 3, 3), events=events
        )
        text = render_text(Engine.get_default().from_string("{{ you }}|{{ remedy }}"), facts)
        self.assertTrue(
            text.startswith(
                "您|您如对本答复不服，可以自收到本告知书之日起60日内向示例区人民政府申请行政复议；"
            )
        )


class AdminTests(BaseTestCase):
    """The system administrator (系统管理员) keeps the letters' wording in 系统管理."""

    sysadmin: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_administrators()

    def setUp(self) -> None:
        self.client.login(username="sysadmin", password=PASSWORD)

    def test_the_add_form_lists_the_markup_and_the_variables(self) -> None:
        response = self.client.get(reverse("admin:disclosure_lettertemplate_add") + "?kind=fee")
        page = response.content.decode()
        self.assertEqual(response.status_code, 200)
        for names, _ in CONTEXT_VARIABLES:
            self.assertIn(f"{{{{ {names} }}}}", page)
        self.assertIn("&gt; 文字", page)
        self.assertIn("政府信息公开信息处理费收费通知书", page)  # the file's text as a start

    def test_a_broken_body_is_refused_with_the_error_message(self) -> None:
        response = self.client.post(
            reverse("admin:disclosure_lettertemplate_add"),
            {"kind": "r_open", "body": "标题\n{% if note %}未闭合"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("模板无法渲染", response.content.decode())
        self.assertFalse(LetterTemplate.objects.exists())

    def test_a_good_body_is_saved_with_its_author(self) -> None:
        response = self.client.post(
            reverse("admin:disclosure_lettertemplate_add"),
            {"kind": "r_open", "body": "新标题\n\n{{ applicant.name }}，您好。"},
        )
        self.assertEqual(response.status_code, 302)
        row = LetterTemplate.objects.get()
        self.assertEqual((row.kind, row.updated_by), ("r_open", self.sysadmin))

    def test_the_change_form_keeps_the_kind_and_shows_the_files_text(self) -> None:
        row = letter_template_save(actor=self.sysadmin, kind="fee", body="标题\n\n正文")
        url = reverse("admin:disclosure_lettertemplate_change", args=[row.pk])
        page = self.client.get(url).content.decode()
        self.assertIn("一、计费方式和标准", page)
        response = self.client.post(url, {"kind": "correction", "body": "标题\n{% endif %}"})
        self.assertIn("模板无法渲染", response.content.decode())
        response = self.client.post(url, {"kind": "correction", "body": "新标题\n\n新正文"})
        self.assertEqual(response.status_code, 302)
        row.refresh_from_db()
        self.assertEqual((row.kind, row.body), ("fee", "新标题\n\n新正文"))

    def test_the_migrations_match_the_model(self) -> None:
        call_command("makemigrations", "disclosure", "--check", "--dry-run", stdout=StringIO())
