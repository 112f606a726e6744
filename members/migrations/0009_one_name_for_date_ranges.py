"""One name for every date range (docs/architecture.md, *One name per concept*): a spell, a committee
seat and a term run from ``starts_on`` to ``ends_on``.

The database only renames four columns (and their history twins): PostgreSQL and SQLite carry the
indexes and constraints that use them along, under the same names. The state is told the same
constraints, indexes and orderings in the new names; nothing is dropped or rebuilt."""

from django.db import migrations, models


RENAMES = [
    migrations.RenameField("membership", "started_on", "starts_on"),
    migrations.RenameField("membership", "ended_on", "ends_on"),
    migrations.RenameField("historicalmembership", "started_on", "starts_on"),
    migrations.RenameField("historicalmembership", "ended_on", "ends_on"),
    migrations.RenameField("committeeseat", "since", "starts_on"),
    migrations.RenameField("committeeseat", "until", "ends_on"),
    migrations.RenameField("historicalcommitteeseat", "since", "starts_on"),
    migrations.RenameField("historicalcommitteeseat", "until", "ends_on"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_move_committees_from_organizations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=RENAMES,
            state_operations=[
                *RENAMES,
                migrations.AlterModelOptions(
                    name='committeeseat',
                    options={'ordering': ['term', 'position', 'starts_on'], 'verbose_name': 'committee seat', 'verbose_name_plural': 'committee seats'},
                ),
                migrations.AlterModelOptions(
                    name='membership',
                    options={'ordering': ['member', 'starts_on', 'pk'], 'verbose_name': 'membership spell', 'verbose_name_plural': 'membership spells'},
                ),
                migrations.RemoveConstraint(
                    model_name='committeeseat',
                    name='seat_one_secretary_per_term',
                ),
                migrations.RemoveConstraint(
                    model_name='committeeseat',
                    name='seat_once_per_member_and_position',
                ),
                migrations.RemoveConstraint(
                    model_name='committeeseat',
                    name='seat_ends_after_start',
                ),
                migrations.RemoveConstraint(
                    model_name='membership',
                    name='membership_one_open_official_spell',
                ),
                migrations.RemoveConstraint(
                    model_name='membership',
                    name='membership_one_open_temporary_spell',
                ),
                migrations.RemoveConstraint(
                    model_name='membership',
                    name='membership_ends_after_start',
                ),
                migrations.RemoveIndex(
                    model_name='committeeseat',
                    name='organizatio_member__7e4854_idx',
                ),
                migrations.RemoveIndex(
                    model_name='membership',
                    name='members_mem_kind_489648_idx',
                ),
                migrations.AddIndex(
                    model_name='committeeseat',
                    index=models.Index(fields=['member', 'ends_on'], name='organizatio_member__7e4854_idx'),
                ),
                migrations.AddIndex(
                    model_name='membership',
                    index=models.Index(fields=['kind', 'starts_on', 'ends_on'], name='members_mem_kind_489648_idx'),
                ),
                migrations.AddConstraint(
                    model_name='committeeseat',
                    constraint=models.UniqueConstraint(condition=models.Q(('ends_on__isnull', True), ('position', 'bi_thu')), fields=('term',), name='seat_one_secretary_per_term', violation_error_message='The term already has a secretary in office.'),
                ),
                migrations.AddConstraint(
                    model_name='committeeseat',
                    constraint=models.UniqueConstraint(condition=models.Q(('ends_on__isnull', True)), fields=('term', 'member', 'position'), name='seat_once_per_member_and_position', violation_error_message='The member already holds this seat.'),
                ),
                migrations.AddConstraint(
                    model_name='committeeseat',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='seat_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(condition=models.Q(('ends_on__isnull', True), ('kind', 'chinh_thuc')), fields=('member',), name='membership_one_open_official_spell', violation_error_message='A member belongs to one Party cell at a time.'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(condition=models.Q(('ends_on__isnull', True), ('kind', 'tam_thoi')), fields=('member',), name='membership_one_open_temporary_spell', violation_error_message='A member is temporarily attached to one Party cell at a time.'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='membership_ends_after_start'),
                ),
    
            ],
        ),
    ]
