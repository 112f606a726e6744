# Terms and committee seats move here from the organizations app (organizations/migrations/0004).
# The database does not change: the models keep the tables, history tables, constraints and index
# the organizations app created (db_table, HistoricalRecords(table_name=...), the index's name), so
# the operations below only add them to the members app's state. The content types of the four
# models follow them (their permissions and any generic relation keep pointing at the same rows).

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ('term', 'committeeseat', 'historicalterm', 'historicalcommitteeseat')


def _move_content_types(apps, schema_editor, source, target):
    """Relabel the content types of the moved models from ``source`` to ``target``, leaving alone a
    model whose content type already exists under ``target``."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    existing = content_types.filter(app_label=target, model__in=MOVED_MODELS).values_list('model', flat=True)
    content_types.filter(app_label=source, model__in=MOVED_MODELS).exclude(model__in=list(existing)).update(
        app_label=target
    )
    ContentType.objects.clear_cache()


def content_types_to_members(apps, schema_editor):
    _move_content_types(apps, schema_editor, 'organizations', 'members')


def content_types_to_organizations(apps, schema_editor):
    _move_content_types(apps, schema_editor, 'members', 'organizations')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('members', '0007_transfer_received'),
        ('organizations', '0004_move_committees_to_members'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalTerm',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('label', models.CharField(help_text='For example 2025–2030.', max_length=32, verbose_name='term')),
                        ('congress_ordinal', models.PositiveSmallIntegerField(blank=True, help_text='Lần thứ … of the congress.', null=True, verbose_name='congress number')),
                        ('starts_on', models.DateField(verbose_name='congress held on')),
                        ('ends_on', models.DateField(verbose_name='term ends on')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organizations.organization', verbose_name='organization')),
                    ],
                    options={
                        'verbose_name': 'historical term',
                        'verbose_name_plural': 'historical terms',
                        'db_table': 'organizations_historicalterm',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Term',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(help_text='For example 2025–2030.', max_length=32, verbose_name='term')),
                        ('congress_ordinal', models.PositiveSmallIntegerField(blank=True, help_text='Lần thứ … of the congress.', null=True, verbose_name='congress number')),
                        ('starts_on', models.DateField(verbose_name='congress held on')),
                        ('ends_on', models.DateField(verbose_name='term ends on')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='terms', to='organizations.organization', verbose_name='organization')),
                    ],
                    options={
                        'verbose_name': 'term',
                        'verbose_name_plural': 'terms',
                        'db_table': 'organizations_term',
                        'ordering': ['organization', '-starts_on'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCommitteeSeat',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('position', models.CharField(choices=[('bi_thu', 'Secretary'), ('pho_bi_thu', 'Deputy secretary'), ('uy_vien_btv', 'Member of the standing committee'), ('cap_uy_vien', 'Committee member'), ('chu_nhiem_ubkt', 'Chair of the inspection commission'), ('pho_chu_nhiem_ubkt', 'Deputy chair of the inspection commission'), ('uy_vien_ubkt', 'Member of the inspection commission')], max_length=24, verbose_name='position')),
                        ('since', models.DateField(verbose_name='since')),
                        ('until', models.DateField(blank=True, null=True, verbose_name='until')),
                        ('heads_host_unit', models.BooleanField(default=False, help_text='Bí thư đồng thời là thủ trưởng cơ quan, đơn vị.', verbose_name='also head of the host unit')),
                        ('decision_no', models.CharField(blank=True, max_length=64, verbose_name='decision number')),
                        ('end_note', models.CharField(blank=True, max_length=255, verbose_name='reason the seat ended')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='Party member')),
                        ('term', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.term', verbose_name='term')),
                    ],
                    options={
                        'verbose_name': 'historical committee seat',
                        'verbose_name_plural': 'historical committee seats',
                        'db_table': 'organizations_historicalcommitteeseat',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='CommitteeSeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.CharField(choices=[('bi_thu', 'Secretary'), ('pho_bi_thu', 'Deputy secretary'), ('uy_vien_btv', 'Member of the standing committee'), ('cap_uy_vien', 'Committee member'), ('chu_nhiem_ubkt', 'Chair of the inspection commission'), ('pho_chu_nhiem_ubkt', 'Deputy chair of the inspection commission'), ('uy_vien_ubkt', 'Member of the inspection commission')], max_length=24, verbose_name='position')),
                        ('since', models.DateField(verbose_name='since')),
                        ('until', models.DateField(blank=True, null=True, verbose_name='until')),
                        ('heads_host_unit', models.BooleanField(default=False, help_text='Bí thư đồng thời là thủ trưởng cơ quan, đơn vị.', verbose_name='also head of the host unit')),
                        ('decision_no', models.CharField(blank=True, max_length=64, verbose_name='decision number')),
                        ('end_note', models.CharField(blank=True, max_length=255, verbose_name='reason the seat ended')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_seats', to='members.member', verbose_name='Party member')),
                        ('term', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seats', to='members.term', verbose_name='term')),
                    ],
                    options={
                        'verbose_name': 'committee seat',
                        'verbose_name_plural': 'committee seats',
                        'db_table': 'organizations_committeeseat',
                        'ordering': ['term', 'position', 'since'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='term',
                    constraint=models.UniqueConstraint(fields=('organization', 'starts_on'), name='term_one_congress_per_day', violation_error_message='This organization already has a term starting that day.'),
                ),
                migrations.AddConstraint(
                    model_name='term',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('starts_on'))), name='term_ends_after_start'),
                ),
                migrations.AddIndex(
                    model_name='committeeseat',
                    index=models.Index(fields=['member', 'until'], name='organizatio_member__7e4854_idx'),
                ),
                migrations.AddConstraint(
                    model_name='committeeseat',
                    constraint=models.UniqueConstraint(condition=models.Q(('position', 'bi_thu'), ('until__isnull', True)), fields=('term',), name='seat_one_secretary_per_term', violation_error_message='The term already has a secretary in office.'),
                ),
                migrations.AddConstraint(
                    model_name='committeeseat',
                    constraint=models.UniqueConstraint(condition=models.Q(('until__isnull', True)), fields=('term', 'member', 'position'), name='seat_once_per_member_and_position', violation_error_message='The member already holds this seat.'),
                ),
                migrations.AddConstraint(
                    model_name='committeeseat',
                    constraint=models.CheckConstraint(condition=models.Q(('until__isnull', True), ('until__gte', models.F('since')), _connector='OR'), name='seat_ends_after_start'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_members, content_types_to_organizations),
    ]
