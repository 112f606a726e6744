"""The list of awarded badges is ordered by the award date, newest first: an index on it lets the
database read a page of the list instead of sorting every badge of the scope."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0010_spell_and_movement'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='badgeaward',
            index=models.Index(fields=['awarded_on'], name='badgeaward_awarded_on_idx'),
        ),
    ]
