# An update's single ideas move from a many-to-many field (a select of every idea in the
# installation) to chosen rows, so the editor can use a searchable, PCN-scoped chooser.
# Existing links and the drafts in page revisions are carried over.

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models

import home.boundary


def links_forward(apps, schema_editor):
    UpdatePage = apps.get_model("consultations", "UpdatePage")
    UpdateIdea = apps.get_model("consultations", "UpdateIdea")
    Through = UpdatePage.ideas.through
    rows = Through.objects.order_by("updatepage_id", "idea_id").values_list(
        "updatepage_id", "idea_id"
    )
    order = {}
    links = []
    for page_id, idea_id in rows.iterator():
        order[page_id] = order.get(page_id, -1) + 1
        links.append(UpdateIdea(page_id=page_id, idea_id=idea_id, sort_order=order[page_id]))
    UpdateIdea.objects.bulk_create(links, batch_size=1000)

    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="consultations", model="updatepage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        content = revision.content
        if not isinstance(content, dict) or "ideas" not in content:
            continue
        ideas = content.pop("ideas") or []
        content["answered_ideas"] = [
            {"pk": None, "page": int(revision.object_id), "idea": idea_id, "sort_order": n}
            for n, idea_id in enumerate(ideas)
        ]
        revision.content = content
        revision.save(update_fields=["content"])


def links_backward(apps, schema_editor):
    UpdatePage = apps.get_model("consultations", "UpdatePage")
    UpdateIdea = apps.get_model("consultations", "UpdateIdea")
    Through = UpdatePage.ideas.through
    Through.objects.bulk_create(
        [
            Through(updatepage_id=page_id, idea_id=idea_id)
            for page_id, idea_id in UpdateIdea.objects.values_list("page_id", "idea_id").distinct()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0006_idea_list_indexes"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="UpdateIdea",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "idea",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answering_updates",
                        to="consultations.idea",
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answered_ideas",
                        to="consultations.updatepage",
                    ),
                ),
            ],
            options={
                "verbose_name": "idea answered",
                "verbose_name_plural": "ideas answered",
                "ordering": ["sort_order"],
                "abstract": False,
            },
            bases=(home.boundary.PcnBoundaryMixin, models.Model),
        ),
        migrations.RunPython(links_forward, links_backward),
        migrations.RemoveField(model_name="updatepage", name="ideas"),
    ]
