"""The outbox keeps addresses encrypted under a short-lived key (reclaim.mail.addresses).

Mails still queued when this runs are encrypted in place, so none is lost."""

from django.db import migrations, models


def seal_queued(apps, schema_editor):
    from reclaim.mail.addresses import seal

    OutgoingMail = apps.get_model("mail", "OutgoingMail")
    for mail in OutgoingMail.objects.all().only("pk", "to_email"):
        period, sealed = seal(mail.to_email)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            to_sealed=sealed, key_period=period, to_email=""
        )


class Migration(migrations.Migration):
    dependencies = [("mail", "0003_outgoingmail_params")]

    operations = [
        migrations.AddField(
            model_name="outgoingmail",
            name="to_sealed",
            field=models.TextField(default="", verbose_name="recipient (encrypted)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outgoingmail",
            name="key_period",
            field=models.BigIntegerField(db_index=True, default=0, verbose_name="key period"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_queued, migrations.RunPython.noop),
        migrations.RemoveField(model_name="outgoingmail", name="to_email"),
    ]
