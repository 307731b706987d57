"""Demo of seed 002: "Kooperacja – efektywna i skuteczna", the call in lubuskie.

From the seed: the project and its partners, the programme (ESF, axis II, measure
2.5), the end date (31.03.2021), the call for 3 counties and 5 urban-rural
municipalities of lubuskie, its five criteria, the deadline of 27 April and the
contact person. Not in the seed, so chosen for the demo: the start date (1 January
2019), the year of the call (2019), the scoring thresholds and the applicants with
their figures. The call is closed: its ranking waits for the coordinator's selection.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from .demo import user_without_password
from .models import Project, Voivodeship
from .models.recruitment import (
    Call,
    CallPlaces,
    Criterion,
    CriterionKind,
    LocalAuthorityKind,
    TieRule,
)
from .services.recruitment import ApplicationForm, call_application_submit

PROJECT = {
    "code": "KOOPERACJA-LUBUSKIE",
    "name": "Kooperacja – efektywna i skuteczna",
    "programme": "Program Operacyjny Wiedza Edukacja Rozwój 2014-2020",
    "priority_axis": (
        "II. Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji"
    ),
    "measure": "2.5 Skuteczna pomoc społeczna",
    "start_date": datetime.date(2019, 1, 1),
    "end_date": datetime.date(2021, 3, 31),
    "contact_name": "Renata Mach (ROPS w Zielonej Górze)",
    "contact_phone": "068 32 31 880",
}
DESCRIPTION = (
    "Regionalny Ośrodek Polityki Społecznej w Zielonej Górze realizuje partnerski "
    "projekt wraz z ROPS-ami z województw: kujawsko-pomorskiego (partner wiodący), "
    "pomorskiego, warmińsko-mazurskiego, wielkopolskiego i zachodniopomorskiego oraz "
    "Uniwersytetem Mikołaja Kopernika w Toruniu. W województwie lubuskim do udziału "
    "zapraszamy 3 powiaty i 5 gmin miejsko-wiejskich. Celem jest wypracowanie "
    "i wdrożenie modelu kooperacji pomiędzy instytucjami pomocy i integracji "
    "społecznej a podmiotami innych polityk sektorowych."
)
# name, kind, unit, thresholds, points for yes
CRITERIA = [
    ("Dochód gminy przypadający na jednego mieszkańca", CriterionKind.NUMBER, "zł",
     "0: 3\n2500: 2\n3500: 1", 0),
    ("Doświadczenie w realizacji projektów", CriterionKind.YES_NO, "", "", 2),
    ("Liczba rodzin korzystających z pomocy społecznej", CriterionKind.NUMBER, "",
     "0: 0\n200: 1\n400: 2\n800: 3", 0),
    ("Liczba zawartych kontraktów socjalnych", CriterionKind.NUMBER, "",
     "0: 0\n20: 1\n50: 2", 0),
    ("Zdiagnozowany koszyk usług potrzebnych środowisku", CriterionKind.YES_NO, "",
     "", 3),
]  # fmt: skip
COUNTY = LocalAuthorityKind.COUNTY
GMINA = LocalAuthorityKind.URBAN_RURAL_MUNICIPALITY
# authority, kind, institution, income, experience, families, contracts, basket
APPLICANTS = [
    ("Powiat nowosolski", COUNTY, "Powiatowe Centrum Pomocy Rodzinie w Nowej Soli",
     2900, True, 950, 61, True),
    ("Powiat żarski", COUNTY, "Powiatowe Centrum Pomocy Rodzinie w Żarach",
     2700, True, 1100, 48, False),
    ("Powiat krośnieński", COUNTY, "Starostwo Powiatowe w Krośnie Odrzańskim",
     2600, False, 640, 35, True),
    ("Powiat wschowski", COUNTY, "Powiatowe Centrum Pomocy Rodzinie we Wschowie",
     3100, False, 420, 22, False),
    ("Gmina Kożuchów", GMINA, "Ośrodek Pomocy Społecznej w Kożuchowie",
     2300, True, 410, 40, True),
    ("Gmina Sława", GMINA, "Ośrodek Pomocy Społecznej w Sławie",
     3900, True, 260, 25, True),
    ("Gmina Czerwieńsk", GMINA, "Ośrodek Pomocy Społecznej w Czerwieńsku",
     3300, False, 230, 18, True),
    ("Gmina Szlichtyngowa", GMINA, "Miejsko-Gminny Ośrodek Pomocy Społecznej w Szlichtyngowej",
     2100, False, 180, 12, False),
    ("Gmina Bytom Odrzański", GMINA, "Ośrodek Pomocy Społecznej w Bytomiu Odrzańskim",
     2200, True, 240, 30, False),
    ("Gmina Iłowa", GMINA, "Miejsko-Gminny Ośrodek Pomocy Społecznej w Iłowej",
     2800, True, 300, 21, True),
    ("Gmina Lubsko", GMINA, "Ośrodek Pomocy Społecznej w Lubsku",
     2600, False, 520, 44, False),
]  # fmt: skip
REPRESENTATIVE = "gmina@szkolenia.test"


def load(*, users: dict) -> Call:
    """Idempotent: the call is found by its code and then left as it is."""
    existing = Call.objects.filter(code="kooperacja-lubuskie").first()
    if existing is not None:
        return existing
    project = Project.objects.create(**PROJECT)
    deadline = datetime.datetime(
        2019, 4, 27, 23, 59, tzinfo=timezone.get_default_timezone()
    )
    call = Call.objects.create(
        project=project,
        code="kooperacja-lubuskie",
        title="Nabór powiatów i gmin – województwo lubuskie",
        description=DESCRIPTION,
        voivodeship=Voivodeship.objects.get(name="lubuskie"),
        deadline=deadline,
        tie_rule=TieRule.CRITERION_HIGH,
    )
    CallPlaces.objects.create(call=call, kind=COUNTY, places=3)
    CallPlaces.objects.create(call=call, kind=GMINA, places=5)
    criteria = [
        Criterion.objects.create(
            call=call,
            name=name,
            kind=kind,
            unit=unit,
            thresholds=thresholds,
            points_yes=Decimal(points_yes),
            order=order,
        )
        for order, (name, kind, unit, thresholds, points_yes) in enumerate(CRITERIA)
    ]
    call.diversity_criterion = criteria[0]
    call.tie_criterion = criteria[2]  # more families on social assistance first
    call.save(update_fields=["diversity_criterion", "tie_criterion"])
    submitted = deadline - datetime.timedelta(days=len(APPLICANTS) + 1)
    for number, row in enumerate(APPLICANTS):
        authority, kind, institution, *values = row
        representative = users.get(REPRESENTATIVE) if number == 4 else None
        call_application_submit(
            call=call,
            representative=representative or _representative(number),
            form=ApplicationForm(
                kind=kind,
                authority=authority,
                institution=institution,
                contact_phone="68 000 00 00",
                answers={c.pk: v for c, v in zip(criteria, values, strict=True)},
            ),
            at=submitted + datetime.timedelta(days=number, hours=number),
        )
    return call


def _representative(number: int):
    return user_without_password(f"nabor{number}@szkolenia.test", "Przedstawiciel")
