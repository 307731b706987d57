"""Every voivodeship in a macroregion, as the seeds name them; coordinators edit them.

Seed 004 names macroregion I (lubelskie, mazowieckie, podkarpackie, podlaskie,
świętokrzyskie), seed 003 macroregion II (śląskie, opolskie, małopolskie). Seed 002
names the partnership of "Kooperacja – efektywna i skuteczna" (kujawsko-pomorskie as
the lead partner, pomorskie, warmińsko-mazurskie, wielkopolskie, zachodniopomorskie and
lubuskie) without a number: it becomes macroregion III. Dolnośląskie and łódzkie are in
no seed: macroregion IV holds them until a coordinator moves them. A voivodeship a
coordinator has already placed keeps its place.
"""

from django.db import migrations, models

MACROREGIONS = {
    "I": (
        "Makroregion I",
        "Materiał 004 („Liderzy Kooperacji”): lubelskie, mazowieckie, podkarpackie, "
        "podlaskie, świętokrzyskie.",
    ),
    "II": (
        "Makroregion II",
        "Materiał 003 („Doskonalenie zawodowe … makroregionu II”): śląskie, "
        "opolskie, małopolskie.",
    ),
    "III": (
        "Makroregion III",
        "Materiał 002 („Kooperacja – efektywna i skuteczna”) wymienia partnerstwo "
        "ROPS-ów tych województw bez numeru makroregionu; numer nadano na platformie.",
    ),
    "IV": (
        "Makroregion IV",
        "Województwa, których nie wymienia żaden materiał projektów; przydział do "
        "zmiany przez koordynatora.",
    ),
}
VOIVODESHIPS = {
    "lubelskie": "I",
    "mazowieckie": "I",
    "podkarpackie": "I",
    "podlaskie": "I",
    "świętokrzyskie": "I",
    "śląskie": "II",
    "opolskie": "II",
    "małopolskie": "II",
    "kujawsko-pomorskie": "III",
    "pomorskie": "III",
    "warmińsko-mazurskie": "III",
    "wielkopolskie": "III",
    "zachodniopomorskie": "III",
    "lubuskie": "III",
    "dolnośląskie": "IV",
    "łódzkie": "IV",
}


def load(apps, schema_editor):
    Macroregion = apps.get_model("courses", "Macroregion")
    Voivodeship = apps.get_model("courses", "Voivodeship")
    regions = {}
    for code, (name, source) in MACROREGIONS.items():
        region, _created = Macroregion.objects.get_or_create(
            code=code, defaults={"name": name}
        )
        if not region.source:
            region.source = source
            region.save(update_fields=["source"])
        regions[code] = region
    for voivodeship in Voivodeship.objects.filter(macroregion__isnull=True):
        code = VOIVODESHIPS.get(voivodeship.name)
        if code:
            voivodeship.macroregion = regions[code]
            voivodeship.save(update_fields=["macroregion"])


def unload(apps, schema_editor):
    Voivodeship = apps.get_model("courses", "Voivodeship")
    Voivodeship.objects.filter(macroregion__code__in=["III", "IV"]).update(
        macroregion=None
    )
    apps.get_model("courses", "Macroregion").objects.filter(
        code__in=["III", "IV"], voivodeships__isnull=True
    ).delete()
    if schema_editor.connection.vendor == "postgresql":
        # The deferred foreign-key checks of these changes fire now: PostgreSQL
        # refuses to remove the column next while they are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("courses", "0015_institution_change")]
    operations = [
        migrations.AddField(
            model_name="macroregion",
            name="source",
            field=models.TextField(
                blank=True,
                help_text="Where this grouping of voivodeships comes from.",
                verbose_name="source",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
