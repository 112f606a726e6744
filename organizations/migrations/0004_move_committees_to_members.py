# Terms and committee seats move to the members app (members/migrations/0008): this migration only
# forgets them from the organizations app's state. The tables stay where they are
# (organizations_term, organizations_committeeseat and their history tables); the members models
# use them under the same names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_terms_committee_seats'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalCommitteeSeat'),
                migrations.DeleteModel(name='CommitteeSeat'),
                migrations.DeleteModel(name='HistoricalTerm'),
                migrations.DeleteModel(name='Term'),
            ],
            database_operations=[],
        ),
    ]
