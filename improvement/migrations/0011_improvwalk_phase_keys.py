"""Project phases are known by their method's key and shown in each reader's language: a phase
whose name or deliverables are its method's own text (in French or in English, as it was stored
by its creator) gets them emptied; a method phase stored without its key gets it back."""

from django.conf import settings
from django.db import migrations, models


def _key_of(method: str, name: str) -> str:
    from improvement.project_methods import is_method_text, phases_of

    return next((phase.key for phase in phases_of(method) if is_method_text(method, phase.key, "name", name)), "")


def phase_keys(apps, schema_editor):
    from improvement.project_methods import is_method_text

    ProjectPhase = apps.get_model("improvement", "ProjectPhase")
    with schema_editor.connection.cursor() as cursor:
        # Every organization's phases (row-level security lets a migration see them all only so).
        cursor.execute("SELECT set_config('qse.all_organizations', 'on', true)")
    for phase in ProjectPhase.objects.select_related("project").order_by("pk").iterator():
        method = phase.project.method
        key = phase.key or _key_of(method, phase.name)
        if not key:
            continue  # a phase added by hand keeps its own name
        changes = {"key": key} if key != phase.key else {}
        for field in ("name", "deliverables"):
            if getattr(phase, field) and is_method_text(method, key, field, getattr(phase, field)):
                changes[field] = ""
        if changes:
            ProjectPhase.objects.filter(pk=phase.pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ('improvement', '0010_origin_kinds'),
        ('qse', '0012_onboarding_people'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='projectphase',
            name='name',
            field=models.CharField(blank=True, max_length=120, verbose_name='phase'),
        ),
        migrations.AlterField(
            model_name='projectphaseevent',
            name='name',
            field=models.CharField(blank=True, max_length=120, verbose_name='phase'),
        ),
        migrations.RunPython(phase_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='projectphase',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('name', ''), _negated=True), models.Q(('key', ''), _negated=True), _connector='OR'), name='projectphase_named', violation_error_message='Give the phase a name.'),
        ),
    ]
