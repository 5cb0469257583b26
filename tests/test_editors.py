"""Editors: per-lab groups and collections, the network team, moderation of the network's pages.

The admin is driven with the test client as an editor's browser would: edit forms are filled
from the edit view's HTML plus the StreamFields' current values (which the admin renders with
JavaScript, so they are not in the HTML).
"""

import html
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image as PILImage
from wagtail import blocks
from wagtail.blocks.base import BlockField
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile
from wagtail_localize.models import TranslationSource

from editors import groups
from editors.models import LabEditors
from home.models import CustomImage
from labs.models import LabPage
from network.models import NewsPage
from tests.conftest import translate
from tests.factories import (
    ContentPageFactory,
    ImageFactory,
    LabPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)

pytestmark = pytest.mark.django_db


# --- Helpers -------------------------------------------------------------------------------------


def block_post_data(block, state, prefix):
    """The admin's POST data (name -> values) for a block with form state `state`."""
    data = {}
    if isinstance(block, blocks.StreamBlock | blocks.ListBlock):
        state = state or []
        data[f"{prefix}-count"] = [str(len(state))]
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            if isinstance(block, blocks.StreamBlock):
                child_block = block.child_blocks[child["type"]]
                data[f"{child_prefix}-type"] = [child["type"]]
            else:
                child_block = block.child_block
            data[f"{child_prefix}-deleted"] = [""]
            data[f"{child_prefix}-order"] = [str(index)]
            data[f"{child_prefix}-id"] = [child.get("id") or ""]
            data.update(block_post_data(child_block, child["value"], f"{child_prefix}-value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            data.update(block_post_data(child_block, (state or {}).get(name), f"{prefix}-{name}"))
    elif isinstance(block, blocks.BooleanBlock):
        if state:
            data[prefix] = ["on"]
    elif isinstance(state, dict):  # choosers: the chosen object's id
        data[prefix] = [str(state["id"])]
    elif isinstance(state, list):  # selects: the chosen values
        data[prefix] = [str(value) for value in state]
    else:
        data[prefix] = ["" if state is None else str(state)]
    return data


def edit_form_data(client, page):
    """What the edit form of `page` posts when the editor changes nothing."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.id]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    page = page.specific_class.objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, field in page.get_edit_handler().get_form_class().base_fields.items():
        if isinstance(field, BlockField):
            state = field.block.get_form_state(getattr(page, name))
            for key, values in block_post_data(field.block, state, name).items():
                data.setlist(key, values)
    return data


def create_form_data(model, **fields):
    """POST data of the add view for `model`: `fields`, and every StreamField left empty."""
    data = {
        f"{name}-count": "0"
        for name, field in model.get_edit_handler().get_form_class().base_fields.items()
        if isinstance(field, BlockField)
    }
    data.update(fields)
    return data


def png_bytes(size=(4, 3)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def member_of(group_name, username):
    """A user in the group `group_name` whose admin speaks English."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_shown(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def assert_refused(response):
    """Wagtail's answer to a forbidden admin view: back to the dashboard with a message.

    The message is in German: the admin's URLs have no language prefix, so Django's locale
    middleware gives them the site's language whatever the browser asks for.
    """
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("wagtailadmin_home")
    with translation.override(settings.LANGUAGE_CODE):
        expected = gettext("Sorry, you do not have permission to access this area.")
    # Messages of earlier refusals stay in the session until a page shows them.
    assert set(messages_shown(response)) == {expected}


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.id])


def sync():
    call_command("sync_lab_editors", stdout=io.StringIO())


def page_permission_rows():
    return sorted(
        GroupPagePermission.objects.values_list("group__name", "page_id", "permission__codename")
    )


# --- Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def duesseldorf(lab_index):
    return LabPageFactory(
        parent=lab_index,
        title="OK Lab Düsseldorf",
        slug="duesseldorf",
        city="Düsseldorf",
        bundesland="nordrhein-westfalen",
        lat=51.2277,
        long=6.7735,
    )


@pytest.fixture
def about(home_page):
    return ContentPageFactory(parent=home_page, title="Über Code for Germany", slug="ueber")


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


@pytest.fixture
def site(home_page, lab_index, flensburg, duesseldorf, about, news_index, english):
    """The tree of DESIGN.md in small, with Flensburg also in English; groups synced."""
    translate(home_page, english, title="Code for Germany", intro="The OK Lab network.")
    translate(lab_index, english, title="OK Labs", slug="ok-labs")
    flensburg_en = translate(flensburg, english, title="OK Lab Flensburg (en)")
    sync()
    return SimpleNamespace(
        home=home_page,
        index=lab_index,
        flensburg=flensburg,
        flensburg_en=flensburg_en,
        duesseldorf=duesseldorf,
        about=about,
        news_index=news_index,
    )


@pytest.fixture
def flensburg_editor(site):
    return member_of("Lab-Redaktion: OK Lab Flensburg", "fl")


@pytest.fixture
def network_editor(site):
    return member_of(groups.NETWORK_GROUP, "netz")


def lab_collection(lab):
    return LabEditors.objects.get(lab_key=lab.translation_key).collection


# --- Groups, collections and their names ---------------------------------------------------------


def test_sync_creates_the_groups_collections_and_workflow(site):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Netzwerk-Redaktion",
        "Lab-Redaktion: OK Lab Flensburg",
        "Lab-Redaktion: OK Lab Düsseldorf",
    }
    root = Collection.get_first_root_node()
    assert sorted(child.name for child in root.get_children()) == [
        "Lab: OK Lab Düsseldorf",
        "Lab: OK Lab Flensburg",
    ]
    flensburg_group = Group.objects.get(name="Lab-Redaktion: OK Lab Flensburg")
    # Add, edit, publish on the German and the English lab page: two pages in two trees.
    on_own_pages = set(
        flensburg_group.page_permissions.filter(
            page__in=[site.flensburg, site.flensburg_en]
        ).values_list("page_id", "permission__codename")
    )
    assert on_own_pages == {
        (page.id, codename)
        for page in (site.flensburg, site.flensburg_en)
        for codename in ("add_page", "change_page", "publish_page")
    }
    # Propose (add, change, no publish) on the network's sections; nothing on home or lab index.
    proposals = set(
        flensburg_group.page_permissions.exclude(
            page__in=[site.flensburg, site.flensburg_en]
        ).values_list("page_id", "permission__codename")
    )
    sections = [site.about, site.news_index]
    assert proposals == {
        (page.id, codename) for page in sections for codename in ("add_page", "change_page")
    }
    assert set(
        GroupCollectionPermission.objects.filter(group=flensburg_group).values_list(
            "collection__name", "permission__codename"
        )
    ) == {
        ("Lab: OK Lab Flensburg", "add_image"),
        ("Lab: OK Lab Flensburg", "change_image"),
        ("Lab: OK Lab Flensburg", "choose_image"),
        ("Root", "choose_image"),
    }
    assert set(flensburg_group.permissions.values_list("codename", flat=True)) == {"access_admin"}
    network = Group.objects.get(name="Netzwerk-Redaktion")
    assert set(network.permissions.values_list("content_type__app_label", "codename")) >= {
        ("wagtailadmin", "access_admin"),
        ("wagtail_localize", "submit_translation"),
        ("home", "change_sitesettings"),
        ("home", "change_footertext"),
        ("network", "change_topic"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
    }
    assert set(network.page_permissions.values_list("page__depth", "permission__codename")) == {
        (1, codename)
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
    }


def test_sync_is_idempotent_and_repairs(site):
    before = page_permission_rows()
    groups_before = list(Group.objects.order_by("pk").values_list("pk", "name"))
    collections_before = list(Collection.objects.order_by("pk").values_list("pk", "name"))
    flensburg_group = Group.objects.get(name="Lab-Redaktion: OK Lab Flensburg")
    # Someone breaks things in the admin: a lab permission removed, a foreign one added.
    flensburg_group.page_permissions.filter(page=site.flensburg_en).delete()
    GroupPagePermission.objects.create(
        group=flensburg_group, page=site.duesseldorf, permission_type="change"
    )
    flensburg_group.permissions.clear()

    sync()
    sync()

    assert page_permission_rows() == before
    assert list(Group.objects.order_by("pk").values_list("pk", "name")) == groups_before
    assert list(Collection.objects.order_by("pk").values_list("pk", "name")) == collections_before
    assert flensburg_group.permissions.filter(codename="access_admin").exists()


def test_a_deleted_group_or_collection_is_made_again(site):
    Group.objects.get(name="Lab-Redaktion: OK Lab Düsseldorf").delete()
    sync()
    group = Group.objects.get(name="Lab-Redaktion: OK Lab Düsseldorf")
    assert group.page_permissions.filter(page=site.duesseldorf, permission__codename="publish_page")
    assert LabEditors.objects.get(lab_key=site.duesseldorf.translation_key).group == group


def test_a_new_lab_gets_its_group_and_collection_without_a_sync(site):
    ulm = LabPageFactory(parent=site.index, title="OK Lab Ulm", city="Ulm")

    group = Group.objects.get(name="Lab-Redaktion: OK Lab Ulm")
    assert Collection.objects.filter(name="Lab: OK Lab Ulm", depth=2).exists()
    assert set(
        group.page_permissions.filter(page=ulm).values_list("permission__codename", flat=True)
    ) == {
        "add_page",
        "change_page",
        "publish_page",
    }
    assert group.page_permissions.filter(page=site.about, permission__codename="change_page")
    assert group.permissions.filter(codename="access_admin").exists()
    # The signal did what the command does: a sync changes nothing.
    before = page_permission_rows()
    sync()
    assert page_permission_rows() == before


def test_a_lab_created_in_the_admin_gets_its_group(site, network_editor):
    data = create_form_data(
        LabPage,
        title="OK Lab Kiel",
        slug="kiel",
        city="Kiel",
        bundesland="schleswig-holstein",
        lat="54.3233",
        long="10.1228",
    )
    url = reverse("wagtailadmin_pages:add", args=["labs", "labpage", site.index.id])
    response = client_for(network_editor).post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    kiel = LabPage.objects.get(slug="kiel")
    assert not kiel.live
    group = Group.objects.get(name="Lab-Redaktion: OK Lab Kiel")
    assert group.page_permissions.filter(page=kiel, permission__codename="publish_page").exists()
    assert Collection.objects.filter(name="Lab: OK Lab Kiel").exists()


def test_renaming_the_lab_renames_its_group_and_collection(site):
    group = Group.objects.get(name="Lab-Redaktion: OK Lab Flensburg")
    collection = lab_collection(site.flensburg)

    site.flensburg.title = "OK Lab Flensburg-Schleswig"
    site.flensburg.save_revision().publish()

    group.refresh_from_db()
    collection.refresh_from_db()
    assert group.name == "Lab-Redaktion: OK Lab Flensburg-Schleswig"
    assert collection.name == "Lab: OK Lab Flensburg-Schleswig"
    # A saved draft with a new title renames nothing yet; the English title never does.
    site.flensburg.title = "Entwurf"
    site.flensburg.save_revision()
    site.flensburg_en.title = "Open Knowledge Lab Flensburg"
    site.flensburg_en.save_revision().publish()
    group.refresh_from_db()
    assert group.name == "Lab-Redaktion: OK Lab Flensburg-Schleswig"
    assert LabEditors.objects.count() == 2


def test_two_labs_with_the_same_title_get_two_groups(site):
    LabPageFactory(parent=site.index, title="OK Lab Flensburg", slug="flensburg-2", city="Fl")
    assert Group.objects.filter(name__startswith="Lab-Redaktion: OK Lab Flensburg").count() == 2
    assert Group.objects.filter(name="Lab-Redaktion: OK Lab Flensburg (2)").exists()


# --- What a lab editor may do --------------------------------------------------------------------


def test_lab_editor_edits_and_publishes_the_lab_page_in_both_languages(site, flensburg_editor):
    client = client_for(flensburg_editor)
    for page, title in ((site.flensburg, "OK Lab Flensburg!"), (site.flensburg_en, "Flensburg!")):
        data = edit_form_data(client, page)
        data["title"] = title
        data["action-publish"] = "action-publish"

        response = client.post(edit_url(page), data)

        assert response.status_code == 302
        page.refresh_from_db()
        assert page.title == title
        assert page.live and not page.has_unpublished_changes
        assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def test_lab_editor_adds_and_publishes_news_below_the_lab(site, flensburg_editor):
    data = create_form_data(
        NewsPage,
        title="Hackday im Januar",
        slug="hackday",
        date="2026-11-01",
        excerpt="Wir hacken.",
        category="community",
    )
    data["action-publish"] = "action-publish"
    url = reverse("wagtailadmin_pages:add", args=["network", "newspage", site.flensburg.id])
    response = client_for(flensburg_editor).post(url, data)

    assert response.status_code == 302
    post = NewsPage.objects.get(slug="hackday")
    assert post.live and post.get_parent().id == site.flensburg.id


def test_lab_editor_is_refused_on_another_lab_and_the_home_page(site, flensburg_editor):
    client = client_for(flensburg_editor)
    for page in (site.duesseldorf, site.home, site.index):
        title = page.title
        revisions = page.revisions.count()
        assert_refused(client.get(edit_url(page)))
        response = client.post(edit_url(page), {"title": "Übernommen", "action-publish": "1"})
        assert_refused(response)
        page.refresh_from_db()
        assert page.title == title
        assert page.revisions.count() == revisions
    # Nor may they add pages to another lab or delete it.
    url = reverse("wagtailadmin_pages:add", args=["network", "newspage", site.duesseldorf.id])
    assert_refused(client.post(url, {"title": "Fremd", "slug": "fremd"}))
    assert_refused(client.post(reverse("wagtailadmin_pages:delete", args=[site.duesseldorf.id])))
    assert LabPage.objects.filter(pk=site.duesseldorf.pk).exists()
    assert not NewsPage.objects.exists()


def test_lab_editor_cannot_start_or_sync_translations(site, flensburg_editor):
    """wagtail-localize checks this permission site-wide, so only the network team has it."""
    client = client_for(flensburg_editor)
    url = reverse("wagtail_localize:submit_page_translation", args=[site.duesseldorf.id])
    assert_refused(client.post(url, {"locales": [site.flensburg_en.locale_id]}))
    assert not site.duesseldorf.get_translations().exists()
    source, _created = TranslationSource.get_or_create_from_instance(site.duesseldorf)
    url = reverse("wagtail_localize:update_translations", args=[source.id])
    assert_refused(client.post(url, {"publish_translations": "on"}))


def test_lab_editor_translates_and_publishes_what_the_network_team_submitted(
    site, flensburg_editor, network_editor, django_capture_on_commit_callbacks
):
    """The network team starts the translation; the lab's editors translate and publish it."""
    post = NewsPageFactory(parent=site.flensburg, title="Hackday", excerpt="Wir hacken.")
    url = reverse("wagtail_localize:submit_page_translation", args=[post.id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(network_editor).post(url, {"locales": [site.flensburg_en.locale_id]})
    assert response.status_code == 302
    post_en = post.get_translation(site.flensburg_en.locale)
    assert not post_en.live and post_en.get_parent().id == site.flensburg_en.id

    client = client_for(flensburg_editor)
    page = client.get(edit_url(post_en)).content.decode()
    props = json.loads(
        html.unescape(re.search(r'class="js-translation-editor" data-props="([^"]*)"', page)[1])
    )
    english = {"Hackday": "Hack day", "hackday": "hack-day", "Wir hacken.": "We hack."}
    for segment in props["segments"]:
        if segment["type"] == "string":
            response = client.put(
                segment["editUrl"],
                data=encode_multipart(BOUNDARY, {"value": english[segment["source"]]}),
                content_type=MULTIPART_CONTENT,
            )
            assert response.status_code in (200, 201)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(post_en), {"action": "publish"})

    assert response.status_code == 302
    post_en.refresh_from_db()
    assert post_en.live and post_en.title == "Hack day"
    assert post_en.specific.excerpt == "We hack."


def test_lab_editor_sees_only_their_lab_in_the_explorer(site, flensburg_editor):
    client = client_for(flensburg_editor)
    response = client.get(reverse("wagtailadmin_explore", args=[site.index.id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "OK Lab Flensburg" in html
    assert "OK Lab Düsseldorf" not in html
    response = client.get(reverse("wagtailadmin_explore", args=[site.home.id]))
    html = response.content.decode()
    assert "Über Code for Germany" in html
    assert "OK Lab Düsseldorf" not in html


def test_lab_editor_sees_and_edits_only_their_own_images(site, flensburg_editor):
    own = ImageFactory(title="Flensburger Hafen", collection=lab_collection(site.flensburg))
    other = ImageFactory(title="Rheinufer", collection=lab_collection(site.duesseldorf))
    client = client_for(flensburg_editor)

    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Flensburger Hafen" in listing
    assert "Rheinufer" not in listing
    assert client.get(reverse("wagtailimages:edit", args=[own.id])).status_code == 200

    assert_refused(client.get(reverse("wagtailimages:edit", args=[other.id])))
    response = client.post(
        reverse("wagtailimages:edit", args=[other.id]), {"title": "Übernommen", "collection": 1}
    )
    assert_refused(response)
    assert_refused(client.post(reverse("wagtailimages:delete", args=[other.id])))
    other.refresh_from_db()
    assert other.title == "Rheinufer"
    # The chooser offers every image: lab pages may show the network's pictures.
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Flensburger Hafen" in chooser and "Rheinufer" in chooser


def test_lab_editor_uploads_into_their_own_collection_only(site, flensburg_editor):
    """With one collection to add to, the upload form has no collection field at all."""
    client = client_for(flensburg_editor)
    form = client.get(reverse("wagtailimages:add")).content.decode()
    assert 'name="collection"' not in form

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Foto",
            "file": SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
            "collection": lab_collection(site.duesseldorf).id,  # tampered with: ignored
        },
    )

    assert response.status_code == 302
    image = CustomImage.objects.get()
    assert image.collection == lab_collection(site.flensburg)
    assert image.uploaded_by_user == flensburg_editor


def test_lab_editor_has_no_redirects_settings_or_snippets(site, flensburg_editor):
    client = client_for(flensburg_editor)
    for url in (
        reverse("wagtailredirects:index"),
        reverse("wagtailredirects:add"),
        reverse("wagtailsettings:edit", args=["home", "sitesettings"]),
    ):
        assert_refused(client.get(url))
    assert_refused(client.get(reverse("wagtailsnippets_home_footertext:add")))
    assert_refused(client.get(reverse("wagtailsnippets_network_topic:add")))


# --- What the network team may do ----------------------------------------------------------------


def test_network_team_edits_and_publishes_everywhere(site, network_editor):
    client = client_for(network_editor)
    for page in (site.home, site.about, site.index, site.duesseldorf, site.flensburg_en):
        data = edit_form_data(client, page)
        data["title"] = page.title + " (neu)"
        data["action-publish"] = "action-publish"
        assert client.post(edit_url(page), data).status_code == 302
        page.refresh_from_db()
        assert page.title.endswith(" (neu)") and not page.has_unpublished_changes


def test_network_team_manages_images_redirects_settings_and_translations(site, network_editor):
    client = client_for(network_editor)
    image = ImageFactory(title="Rheinufer", collection=lab_collection(site.duesseldorf))
    assert client.get(reverse("wagtailimages:edit", args=[image.id])).status_code == 200

    response = client.post(
        reverse("wagtailredirects:add"),
        {
            "old_path": "/alt",
            "site": "",
            "is_permanent": "on",
            "redirect_link": "https://example.org/neu",
        },
    )
    assert response.status_code == 302
    assert Redirect.objects.filter(old_path="/alt").exists()
    settings_url = reverse("wagtailsettings:edit", args=["home", "sitesettings"])
    assert client.get(settings_url, follow=True).status_code == 200
    url = reverse("wagtail_localize:submit_page_translation", args=[site.duesseldorf.id])
    assert client.get(url).status_code == 200
    assert client.get(reverse("wagtaildocs:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_network_topic:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_home_footertext:add")).status_code == 200


# --- Moderation ----------------------------------------------------------------------------------


def test_the_workflow_covers_the_network_sections_and_not_the_labs(site):
    workflow = Workflow.objects.get(name="Netzwerk-Freigabe")
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Netzwerk-Redaktion"]
    for page in (site.about, site.news_index):
        assert page.get_workflow() == workflow
    # A page below a section inherits it, also one made after the sync.
    network_post = NewsPageFactory(parent=site.news_index)
    assert network_post.get_workflow() == workflow
    imprint = ContentPageFactory(parent=site.home, title="Impressum")
    assert imprint.get_workflow() == workflow
    assert Group.objects.get(name="Lab-Redaktion: OK Lab Flensburg").page_permissions.filter(
        page=imprint, permission__codename="change_page"
    )
    # Labs, their pages, the lab index and the home page: no workflow at all.
    lab_post = NewsPageFactory(parent=site.flensburg)
    for page in (
        site.flensburg,
        site.flensburg_en,
        site.duesseldorf,
        lab_post,
        site.index,
        site.home,
    ):
        assert page.get_workflow() is None, page
    # Wagtail's default workflow on the tree root is gone, so it cannot reach the labs.
    assert not WorkflowPage.objects.filter(page__depth=1).exists()


def test_a_lab_editors_change_to_a_network_page_waits_for_approval(site, flensburg_editor):
    client = client_for(flensburg_editor)
    data = edit_form_data(client, site.about)
    data["title"] = "Über uns"
    data["action-submit"] = "action-submit"

    response = client.post(edit_url(site.about), data)

    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(site.about.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Netzwerk-Freigabe"
    assert state.requested_by == flensburg_editor
    site.about.refresh_from_db()
    assert site.about.title == "Über Code for Germany"  # the live page is unchanged
    assert site.about.get_latest_revision_as_object().title == "Über uns"


def test_a_lab_editor_cannot_publish_a_network_page(site, flensburg_editor):
    client = client_for(flensburg_editor)
    data = edit_form_data(client, site.about)
    data["title"] = "Über uns"
    data["action-publish"] = "action-publish"

    client.post(edit_url(site.about), data)

    site.about.refresh_from_db()
    assert site.about.title == "Über Code for Germany"
    assert site.about.has_unpublished_changes  # saved as a draft, not published


def test_the_network_team_approves_and_the_change_goes_live(site, flensburg_editor, network_editor):
    client = client_for(flensburg_editor)
    data = edit_form_data(client, site.about)
    data["title"] = "Über uns"
    data["action-submit"] = "action-submit"
    client.post(edit_url(site.about), data)
    task_state = WorkflowState.objects.get(object_id=str(site.about.pk)).current_task_state

    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[site.about.id, "approve", task_state.id]
    )
    refused = client.post(url, {"comment": ""})
    assert refused.status_code in (302, 403)
    site.about.refresh_from_db()
    assert site.about.title == "Über Code for Germany"

    response = client_for(network_editor).post(url, {"comment": "Passt."})

    assert response.status_code in (200, 302)
    site.about.refresh_from_db()
    assert site.about.title == "Über uns"
    assert WorkflowState.objects.get(object_id=str(site.about.pk)).status == "approved"
