"""The editors' groups, their permissions and the network's approval workflow.

- "Netzwerk-Redaktion" edits and publishes every page (permissions on the tree's root, so both
  language trees and any later one), manages translations, images, documents, the snippets
  (footer text, topics), the site settings and the redirects, and approves what others propose.
- "Lab-Redaktion: <lab>", one group per lab, adds, edits and publishes its lab page and the
  pages below it (projects, news, events) in every language: the German lab page and its English
  translation are two pages in two trees, so the group holds permissions on each of them. It
  uploads and edits images in its own collection "Lab: <lab>" and may choose any image. On the
  network's sections (content pages, project, news and event indexes) it may add and edit pages but
  not publish: what it proposes there goes to the network team for approval.
- The workflow "Netzwerk-Freigabe" (one task: approval by the Netzwerk-Redaktion) is assigned to
  each network section. Wagtail hands a workflow down to every page below the page it is assigned
  to, unless a page closer up has a workflow of its own, and there is no "no workflow" assignment.
  Assigning it to the home page would therefore also moderate every lab. So the home page and the
  lab index (which only the network team edits, and it publishes directly anyway) carry no
  workflow, and neither do the labs: a workflow assigned to the tree root, a home page, the lab
  index or anything in a lab's subtree is removed.

Groups and collections of a lab are found through `LabEditors` by the translation key every
translation of the lab shares, so renaming the lab renames them instead of creating new ones.

Everything here is idempotent. `sync()` (the `sync_lab_editors` command) sets the whole
arrangement, removing what does not belong to it; editors/signals.py keeps it in step as pages are
created and labs renamed, adding what is missing.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from editors.models import LabEditors
from home.models import HomePage
from labs.models import LabIndexPage, LabPage

NETWORK_GROUP = "Netzwerk-Redaktion"
WORKFLOW_NAME = "Netzwerk-Freigabe"
TASK_NAME = "Freigabe durch die Netzwerk-Redaktion"
LAB_GROUP = "Lab-Redaktion: {name}"
LAB_COLLECTION = "Lab: {name}"

NETWORK_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "wagtail_localize.submit_translation",
    "home.change_sitesettings",
    "home.add_footertext",
    "home.change_footertext",
    "home.delete_footertext",
    "network.add_topic",
    "network.change_topic",
    "network.delete_topic",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
)
# Deleting a page with pages below it (bulk_delete) stays with the administrators.
NETWORK_PAGE_PERMISSIONS = (
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.publish_page",
    "wagtailcore.lock_page",
    "wagtailcore.unlock_page",
)
NETWORK_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.delete_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.delete_document",
    "wagtaildocs.choose_document",
)
# Lab editors do not get wagtail_localize.submit_translation: wagtail-localize checks it for the
# whole site, not per page, so it would let them start and publish translations of any page.
LAB_PERMISSIONS = ("wagtailadmin.access_admin",)
LAB_PAGE_PERMISSIONS = (
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.publish_page",
)
LAB_PROPOSAL_PERMISSIONS = ("wagtailcore.add_page", "wagtailcore.change_page")
LAB_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
)
LAB_ROOT_COLLECTION_PERMISSIONS = ("wagtailimages.choose_image",)


def permissions(names):
    """The Permission objects for "app_label.codename" names, in order; fails on a missing one."""
    condition = Q()
    for name in names:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(condition).select_related("content_type")
    }
    missing = [name for name in names if name not in found]
    if missing:
        raise ImproperlyConfigured(f"Permissions missing (migrations not run?): {missing}")
    return [found[name] for name in names]


# --- Pages ---------------------------------------------------------------------------------------


def network_sections():
    """The network's sections: every page directly below a home page except the lab index."""
    homes = list(HomePage.objects.filter(depth=2).values_list("path", "depth"))
    if not homes:
        return Page.objects.none()
    condition = Q()
    for path, depth in homes:
        condition |= Q(path__startswith=path, depth=depth + 1)
    return Page.objects.filter(condition).not_type(LabIndexPage)


def is_network_section(page):
    """Whether `page` is one of `network_sections()`; a query only for pages at their depth."""
    if isinstance(page, LabIndexPage) or page.depth != 3:  # home pages sit below the tree root
        return False
    return HomePage.objects.filter(path=page.path[: -Page.steplen]).exists()


def german_lab_title(lab_page):
    """The lab's name: the title of its German page (the source), else of `lab_page`."""
    if lab_page.locale.language_code == settings.LANGUAGE_CODE:
        return lab_page.title
    german = (
        LabPage.objects.filter(
            translation_key=lab_page.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .values_list("title", flat=True)
        .first()
    )
    return german or lab_page.title


# --- Permission rows -----------------------------------------------------------------------------


def grant_page_permissions(groups, pages, names):
    """Give each of `groups` the permissions `names` on each of `pages` (adds, never removes)."""
    granted = permissions(names)
    rows = [
        GroupPagePermission(group=group, page=page, permission=permission)
        for group in groups
        for page in pages
        for permission in granted
    ]
    GroupPagePermission.objects.bulk_create(rows, ignore_conflicts=True)


def set_page_permissions(group, wanted):
    """Make `group`'s page permissions exactly `wanted`: (page id, Permission) pairs."""
    wanted = {(page_id, permission.pk) for page_id, permission in wanted}
    existing = set(
        GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id")
    )
    extra = existing - wanted
    if extra:
        condition = Q()
        for page_id, permission_id in extra:
            condition |= Q(page_id=page_id, permission_id=permission_id)
        GroupPagePermission.objects.filter(condition, group=group).delete()
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
            for page_id, permission_id in wanted - existing
        ],
        ignore_conflicts=True,
    )


def set_collection_permissions(group, wanted):
    """Make `group`'s collection permissions exactly `wanted`: (collection, Permission) pairs."""
    wanted = {(collection.pk, permission.pk) for collection, permission in wanted}
    existing = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection_id", "permission_id"
        )
    )
    extra = existing - wanted
    if extra:
        condition = Q()
        for collection_id, permission_id in extra:
            condition |= Q(collection_id=collection_id, permission_id=permission_id)
        GroupCollectionPermission.objects.filter(condition, group=group).delete()
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(
                group=group, collection_id=collection_id, permission_id=permission_id
            )
            for collection_id, permission_id in wanted - existing
        ],
        ignore_conflicts=True,
    )


# --- The network team and its workflow -----------------------------------------------------------


def network_group(repair=False):
    """The Netzwerk-Redaktion group; its permissions are set when it is new or `repair` is set."""
    group, created = Group.objects.get_or_create(name=NETWORK_GROUP)
    if created or repair:
        root_page = Page.get_first_root_node()
        root_collection = Collection.get_first_root_node()
        group.permissions.set(permissions(NETWORK_PERMISSIONS))
        set_page_permissions(
            group, [(root_page.pk, perm) for perm in permissions(NETWORK_PAGE_PERMISSIONS)]
        )
        set_collection_permissions(
            group,
            [(root_collection, perm) for perm in permissions(NETWORK_COLLECTION_PERMISSIONS)],
        )
    return group


def network_workflow(repair=False):
    """The active "Netzwerk-Freigabe" workflow with its approval task, created when missing."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None and workflow.active and not repair:
        return workflow
    group = network_group()
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([group])
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def moderate(sections):
    """Assign the network's workflow to each of `sections` (replacing another one there)."""
    workflow = network_workflow()
    for page in sections:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def exempt_labs_from_moderation(labs=None):
    """Remove every workflow assignment that would reach a lab's pages.

    Those are assignments to the tree root (Wagtail's default "Moderators approval" sits there),
    to a home page, to a lab index, and to a lab or any page below it. `labs`: only the ancestors
    and subtrees of these (a new lab); all labs when None.
    """
    if labs is None:
        structural = Q(page__depth=1) | Q(
            page__in=Page.objects.type(HomePage, LabIndexPage).values("pk")
        )
        lab_paths = LabPage.objects.values_list("path", flat=True)
    else:
        lab_paths = [lab.path for lab in labs]
        ancestors = {
            path[:end] for path in lab_paths for end in range(Page.steplen, len(path), Page.steplen)
        }
        structural = Q(page__path__in=ancestors)
    condition = structural
    for path in lab_paths:
        condition |= Q(page__path__startswith=path)
    WorkflowPage.objects.filter(condition).delete()


# --- The labs ------------------------------------------------------------------------------------


def unique_name(model, name, own_pk, max_length):
    """`name`, or `name (2)`, `name (3)` … if another row of `model` already has it."""
    candidate, number = name[:max_length], 1
    while model.objects.filter(name=candidate).exclude(pk=own_pk).exists():
        number += 1
        suffix = f" ({number})"
        candidate = name[: max_length - len(suffix)] + suffix
    return candidate


def lab_editors(lab_page, repair=False):
    """The lab's LabEditors with a group and a collection named after the lab.

    Creates what is missing and renames what carries an old name. New groups get their model
    and collection permissions and may propose changes on the network's sections; `repair` sets
    those permissions again for an existing group. Page permissions on the lab's own pages are
    granted by the caller (`grant_lab_pages`), page by page.
    """
    link = (
        LabEditors.objects.select_related("group", "collection")
        .filter(lab_key=lab_page.translation_key)
        .first()
    )
    name = german_lab_title(lab_page)
    group_name = LAB_GROUP.format(name=name)[:150]
    collection_name = LAB_COLLECTION.format(name=name)[:255]
    if (
        not repair
        and link is not None
        and link.group is not None
        and link.collection is not None
        and link.group.name == group_name
        and link.collection.name == collection_name
    ):
        return link

    with transaction.atomic():
        if link is None:
            link = LabEditors(lab_key=lab_page.translation_key)
        new_group = link.group is None
        if new_group:
            link.group = Group.objects.create(name=unique_name(Group, group_name, None, 150))
        else:
            wanted = unique_name(Group, group_name, link.group.pk, 150)
            if link.group.name != wanted:
                link.group.name = wanted
                link.group.save(update_fields=["name"])
        root_collection = Collection.get_first_root_node()
        if link.collection is None:
            link.collection = root_collection.add_child(instance=Collection(name=collection_name))
        elif link.collection.name != collection_name:
            link.collection.name = collection_name
            link.collection.save(update_fields=["name"])
        link.save()

        if new_group or repair:
            link.group.permissions.set(permissions(LAB_PERMISSIONS))
            set_collection_permissions(
                link.group,
                [(link.collection, perm) for perm in permissions(LAB_COLLECTION_PERMISSIONS)]
                + [
                    (root_collection, perm) for perm in permissions(LAB_ROOT_COLLECTION_PERMISSIONS)
                ],
            )
        if new_group:
            grant_page_permissions([link.group], network_sections(), LAB_PROPOSAL_PERMISSIONS)
    return link


def grant_lab_pages(link, lab_pages):
    """The lab's group may add, edit and publish these lab pages and everything below them."""
    grant_page_permissions([link.group], lab_pages, LAB_PAGE_PERMISSIONS)


def lab_groups():
    return Group.objects.filter(lab_editors__isnull=False)


# --- Everything at once --------------------------------------------------------------------------


@transaction.atomic
def sync():
    """Create or repair every group, collection, permission and the workflow; returns a summary."""
    network_group(repair=True)
    network_workflow(repair=True)
    sections = list(network_sections())
    moderate(sections)
    exempt_labs_from_moderation()

    labs = {}
    for lab in LabPage.objects.defer_streamfields().select_related("locale").order_by("path"):
        labs.setdefault(lab.translation_key, []).append(lab)
    lab_permissions = permissions(LAB_PAGE_PERMISSIONS)
    proposal_permissions = permissions(LAB_PROPOSAL_PERMISSIONS)
    links = []
    for pages in labs.values():
        german = [page for page in pages if page.locale.language_code == settings.LANGUAGE_CODE]
        link = lab_editors((german or pages)[0], repair=True)
        set_page_permissions(
            link.group,
            [(page.pk, perm) for page in pages for perm in lab_permissions]
            + [(section.pk, perm) for section in sections for perm in proposal_permissions],
        )
        links.append(link)
    orphans = LabEditors.objects.exclude(lab_key__in=list(labs)).select_related("group")
    return {
        "labs": [link.group.name for link in links],
        "sections": [section.title for section in sections],
        "orphans": [str(link) for link in orphans],
    }
