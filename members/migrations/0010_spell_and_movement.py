"""One name per concept (docs/architecture.md): the period of a member in a chi bộ is a spell (model
``Spell``, was ``Membership``), a recorded change of a member's situation a movement (model
``Movement``, was ``MemberEvent``). Table renames only: the indexes and constraints keep their names
and no row is rewritten; the content types follow the models (django.contrib.contenttypes renames
them after a RenameModel)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_one_name_for_date_ranges"),
        ("organizations", "0004_move_committees_to_members"),
    ]

    operations = [
        migrations.RenameModel("Membership", "Spell"),
        migrations.RenameModel("HistoricalMembership", "HistoricalSpell"),
        migrations.RenameModel("MemberEvent", "Movement"),
        # The organization's side of the relations, in the same names: organization.spells and
        # organization.movements (no SQL).
        migrations.AlterField(
            model_name="movement",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="movements",
                to="organizations.organization",
                verbose_name="Party cell",
            ),
        ),
        migrations.AlterField(
            model_name="spell",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="spells",
                to="organizations.organization",
                verbose_name="Party cell",
            ),
        ),
    ]
