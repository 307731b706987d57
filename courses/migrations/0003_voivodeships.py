"""The 16 voivodeships with their TERYT codes, and the macroregions named in the seeds."""

from django.db import migrations

VOIVODESHIPS = [
    ("02", "dolnośląskie", None),
    ("04", "kujawsko-pomorskie", None),
    ("06", "lubelskie", "I"),
    ("08", "lubuskie", None),
    ("10", "łódzkie", None),
    ("12", "małopolskie", "II"),
    ("14", "mazowieckie", "I"),
    ("16", "opolskie", "II"),
    ("18", "podkarpackie", "I"),
    ("20", "podlaskie", "I"),
    ("22", "pomorskie", None),
    ("24", "śląskie", "II"),
    ("26", "świętokrzyskie", "I"),
    ("28", "warmińsko-mazurskie", None),
    ("30", "wielkopolskie", None),
    ("32", "zachodniopomorskie", None),
]
MACROREGIONS = [("I", "Makroregion I"), ("II", "Makroregion II")]


def load(apps, schema_editor):
    Macroregion = apps.get_model("courses", "Macroregion")
    Voivodeship = apps.get_model("courses", "Voivodeship")
    macroregions = {
        code: Macroregion.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in MACROREGIONS
    }
    for teryt, name, macroregion in VOIVODESHIPS:
        Voivodeship.objects.update_or_create(
            teryt=teryt,
            defaults={"name": name, "macroregion": macroregions.get(macroregion)},
        )


def unload(apps, schema_editor):
    apps.get_model("courses", "Voivodeship").objects.all().delete()
    apps.get_model("courses", "Macroregion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_enrolment_domain")]
    operations = [migrations.RunPython(load, unload)]
